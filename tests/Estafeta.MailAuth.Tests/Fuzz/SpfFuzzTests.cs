using System.Net;
using System.Text;
using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Fuzz;

/// <summary>SPF records and evaluations over random and mutated input: parsing never throws, a record
/// that parses is made of the characters RFC 7208 allows, and an evaluation ends in time with one of
/// the RFC 7208 results however the records, macros and DNS answers are made.</summary>
public sealed class SpfFuzzTests
{
    private static readonly string[] Domains = ["a.test", "b.test", "c.test", "d.test", "e.test", "x.example"];

    private static readonly string[] Tokens =
    [
        "v=spf1", " ", "  ", "all", "-all", "~all", "?all", "+all", "include:", "redirect=", "exp=", "a", "mx", "ptr",
        "exists:", "ip4:", "ip6:", "/", "//", "/24", "//64", "/0", "/33", "/129", "/024", ":", "=", "%", "%%", "%_", "%-",
        "%{", "}", "%{d}", "%{i}", "%{ir}", "%{s}", "%{l}", "%{o}", "%{p}", "%{h}", "%{v}", "%{c}", "%{t}", "%{r}",
        "%{d2}", "%{ir}.%{v}._spf", "%{l1r-}", "%{S}", "%{d0}", "%{d999999999999}", "%{dr+.}", ".", "..", "a.test",
        "b.test", "x.example", "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "256.1.1.1", "01.2.3.4", "foo=bar", "-",
        "\u0130", "%{\u0130}", "%{\u212a}", "%{\u017f}", "\u00e9", ".com", ".1", "xn--", "-a", "a-",
    ];

    private static readonly string[] Addresses =
        ["192.0.2.1", "192.0.2.200", "198.51.100.7", "2001:db8::1", "2001:db8:ffff::2", "::ffff:192.0.2.1", "0.0.0.0", "::"];

    [Fact]
    public void Parsing_random_and_mutated_records_never_throws_and_keeps_to_the_grammar()
    {
        Fuzzing.Run(7208, 3000, r => Fuzzing.Show(Record(r)), random =>
        {
            var text = Record(random);
            var parsed = SpfRecordParser.Parse(text);
            Assert.True(parsed.IsValid ^ parsed.Error is not null);
            if (parsed.Error is { } error)
            {
                Assert.InRange(error.Position, 0, text.Length);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
                Assert.NotNull(error.Describe());
                return;
            }

            // RFC 7208 §12: a record is printable US-ASCII and spaces; anything else is a syntax error.
            Assert.All(text, c => Assert.InRange(c, ' ', '~'));
            Assert.Equal(text, parsed.Record!.Text);
        });
    }

    [Fact]
    public async Task Evaluating_random_zones_gives_an_rfc_7208_result_in_time()
    {
        await Fuzzing.RunAsync(4408, 400, r => Describe(Zone(r)), async random =>
        {
            var zone = Zone(random);
            var evaluator = new SpfEvaluator(zone, new SpfEvaluatorOptions { RecordCacheCapacity = 0 });
            var client = IPAddress.Parse(random.Pick(Addresses));
            var request = random.Chance(0.2)
                ? SpfRequest.ForHelo(client, random.Chance(0.8) ? random.Pick(Domains) : random.Word())
                : SpfRequest.ForMailFrom(client, Sender(random), random.Chance(0.8) ? "mail." + random.Pick(Domains) : random.Word());
            var result = await evaluator.CheckAsync(request).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.True(Enum.IsDefined(result.Result), $"result {result.Result}");
            Assert.InRange(result.LookupCount, 0, 11);
            Assert.InRange(result.VoidLookupCount, 0, 3);
            if (result.Result is SpfResult.Fail)
            {
                Assert.NotNull(result.Explanation);
            }

            if (result.Result is SpfResult.PermError or SpfResult.TempError)
            {
                Assert.False(string.IsNullOrEmpty(result.Problem), "an error result says why");
            }
        });
    }

    /// <summary>A record from the grammar, often mutated, now and then huge.</summary>
    private static string Record(Random random)
    {
        var text = new StringBuilder(random.Chance(0.95) ? "v=spf1" : random.Pick(["v=spf1x", "V=SPF1", "v=spf2", "", "spf1"]));
        var terms = random.Chance(0.02) ? 200 + random.Next(2000) : random.Next(8);
        for (var i = 0; i < terms; i++)
        {
            text.Append(random.Chance(0.9) ? " " : "  ").Append(Term(random));
        }

        if (random.Chance(0.1))
        {
            text.Append(' ');
        }

        return random.Chance(0.5) ? random.Mutate(text.ToString(), Tokens) : text.ToString();
    }

    private static string Term(Random random)
    {
        var qualifier = random.Chance(0.5) ? "" : random.Pick(["+", "-", "~", "?"]);
        return random.Next(13) switch
        {
            0 => qualifier + "all",
            1 => qualifier + "include:" + DomainSpec(random),
            2 => qualifier + "a" + (random.Chance(0.5) ? ":" + DomainSpec(random) : "") + Cidr(random),
            3 => qualifier + "mx" + (random.Chance(0.5) ? ":" + DomainSpec(random) : "") + Cidr(random),
            4 => qualifier + "ptr" + (random.Chance(0.5) ? ":" + DomainSpec(random) : ""),
            5 => qualifier + "ip4:" + random.Pick(["192.0.2.0", "192.0.2.1", "0.0.0.0", "198.51.100.7"]) + random.Pick(["", "/24", "/32", "/0", "/8"]),
            6 => qualifier + "ip6:" + random.Pick(["2001:db8::", "::", "2001:db8::1", "::ffff:192.0.2.1"]) + random.Pick(["", "/32", "/128", "/0", "/64"]),
            7 => qualifier + "exists:" + DomainSpec(random),
            8 => "redirect=" + DomainSpec(random),
            9 => "exp=" + DomainSpec(random),
            10 => random.Pick(["foo", "x-y", "moo.cow", "a_b"]) + "=" + MacroString(random),
            11 => random.Pick(Tokens),
            _ => qualifier + "a",
        };
    }

    private static string Cidr(Random random) => random.Next(5) switch
    {
        0 => "/" + random.Next(34),
        1 => "//" + random.Next(130),
        2 => "/" + random.Next(33) + "//" + random.Next(129),
        _ => "",
    };

    private static string DomainSpec(Random random) => random.Next(4) switch
    {
        0 => MacroString(random) + "." + random.Pick(Domains),
        1 => MacroString(random),
        _ => random.Pick(Domains),
    };

    private static string MacroString(Random random)
    {
        var text = new StringBuilder();
        var parts = 1 + random.Next(3);
        for (var i = 0; i < parts; i++)
        {
            if (i > 0) text.Append('.');
            text.Append(random.Chance(0.6)
                ? "%{" + random.Pick(["s", "l", "o", "d", "i", "p", "h", "v", "S", "D", "I"]) + random.Pick(["", "1", "2", "r", "1r", "3r", "128"]) + random.Pick(["", ".", "-", "+_", ".-+,/_="]) + "}"
                : random.Pick(["foo", "_spf", "%%", "%_", "%-", "x", "in-addr"]));
        }

        return text.ToString();
    }

    private static string Sender(Random random)
    {
        if (random.Chance(0.1)) return "";
        var local = random.Chance(0.7) ? random.Pick(["user", "a.b", "x+y", "first.last", "\u00e9l\u00e8ve"]) : random.Word(20);
        if (random.Chance(0.02)) local = new string('l', 5000);
        var domain = random.Chance(0.85) ? random.Pick(Domains) : random.Word();
        return random.Chance(0.1) ? domain : local + "@" + domain;
    }

    private static FuzzDns Zone(Random random)
    {
        var zone = new FuzzDns(random.Next());
        foreach (var domain in Domains)
        {
            var records = random.Next(4);
            for (var i = 0; i < records; i++)
            {
                zone.Txt(domain, random.Chance(0.85) ? Record(random) : random.Word(30));
            }

            if (random.Chance(0.3)) zone.Txt("_spf." + domain, Record(random));
            if (random.Chance(0.3)) zone.Txt("exp." + domain, random.Chance(0.5) ? "%{i} is not one of %{d}'s designated mail servers; %{c} %{r} %{t} %{s}" : random.Word(40));
        }

        return zone;
    }

    private static string Describe(FuzzDns zone) => Fuzzing.Show(zone.ToString());

    /// <summary>TXT records as the zone lists them; addresses, MX and PTR answers drawn from the name
    /// (so the same question always gets the same answer), now and then a temporary failure.</summary>
    private sealed class FuzzDns(int seed) : IDnsResolver
    {
        private readonly Dictionary<string, List<string>> txt = new(StringComparer.OrdinalIgnoreCase);

        public void Txt(string name, string value)
        {
            if (!txt.TryGetValue(name, out var list)) txt[name] = list = [];
            list.Add(value);
        }

        private Random For(string name, int type) => new(Fuzzing.Mix(seed, Fuzzing.Hash(DnsName.TrimTrailingDot(name)), type));

        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default)
        {
            Assert.True(DnsName.CanQuery(name), $"TXT question for '{Fuzzing.Show(name)}'");
            if (For(name, 1).Chance(0.03)) return Task.FromResult(DnsAnswer<string>.TempFail);
            return Task.FromResult(txt.TryGetValue(DnsName.TrimTrailingDot(name), out var values) ? DnsAnswer<string>.Of([.. values]) : DnsAnswer<string>.NxDomain);
        }

        public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) => Addresses(name, 4);

        public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) => Addresses(name, 6);

        private Task<DnsAnswer<IPAddress>> Addresses(string name, int family)
        {
            Assert.True(DnsName.CanQuery(name), $"address question for '{Fuzzing.Show(name)}'");
            var random = For(name, family);
            return Task.FromResult(random.Next(6) switch
            {
                0 => DnsAnswer<IPAddress>.NxDomain,
                1 => DnsAnswer<IPAddress>.NoData,
                2 => DnsAnswer<IPAddress>.TempFail,
                _ => DnsAnswer<IPAddress>.Of([.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => family == 4
                    ? IPAddress.Parse(random.Pick(["192.0.2.1", "192.0.2.200", "198.51.100.7", "203.0.113.1"]))
                    : IPAddress.Parse(random.Pick(["2001:db8::1", "2001:db8:ffff::2", "::1"])))]),
            });
        }

        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default)
        {
            Assert.True(DnsName.CanQuery(name), $"MX question for '{Fuzzing.Show(name)}'");
            var random = For(name, 15);
            return Task.FromResult(random.Next(5) switch
            {
                0 => DnsAnswer<MxRecord>.NxDomain,
                1 => DnsAnswer<MxRecord>.TempFail,
                _ => DnsAnswer<MxRecord>.Of([.. Enumerable.Range(0, random.Chance(0.1) ? 12 : 1 + random.Next(3)).Select(i =>
                    new MxRecord(i, random.Pick(["mx.a.test", "a.test.", ".", "", "mx..b.test", new string('m', 70) + ".test", "mx.x.example"])))]),
            });
        }

        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default)
        {
            var random = For(address.ToString(), 12);
            return Task.FromResult(random.Next(4) switch
            {
                0 => DnsAnswer<string>.NxDomain,
                1 => DnsAnswer<string>.TempFail,
                _ => DnsAnswer<string>.Of([.. Enumerable.Range(0, random.Chance(0.1) ? 12 : 1 + random.Next(3)).Select(_ =>
                    random.Pick(["mail.a.test.", "a.test", "b.test", ".", "", "x..y", new string('p', 300)]))]),
            });
        }

        public override string ToString() =>
            string.Join("\n", txt.Select(pair => pair.Key + ": " + string.Join(" | ", pair.Value)));
    }
}
