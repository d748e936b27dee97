using System.Net;
using System.Text;
using Estafeta.MailAuth.Dns;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>
/// Where the MTA delivers (<see cref="MxResolver"/>) when the recipient domain's DNS is hostile or broken: random
/// zones served by a real DNS server on loopback and read through the product's resolver. MX sets with equal and
/// different preferences, hundreds of MX records, MX names without addresses, NXDOMAIN or SERVFAIL names, CNAMEs,
/// CNAME chains and loops, address text as an MX name, null MX alone and mixed with other records, trailing dots,
/// upper case, long and non-ASCII labels, hosts with hundreds of addresses, one host under several MX records, and
/// no MX at all with and without addresses. Each case's expected outcome is worked out from the zone itself
/// (<see cref="DnsZone.Resolve"/>) and checked against what the resolver gave:
/// <list type="bullet">
/// <item>ResolveAsync throws nothing; the outcome is hosts (some, no problem), try later (a 4.x.x answer) or no mail
/// (5.1.2 for a domain that does not exist or, without MX records, has no address, RFC 5321 §5.1; 5.1.10 for a null
/// MX, RFC 7505).</item>
/// <item>A temporary DNS failure on the way to a verdict never gives no mail.</item>
/// <item>Hosts come in preference order, each an address the zone gives its MX name, with that name's lowest
/// preference; no address twice; all of them when they fit within the limits.</item>
/// <item>At most <see cref="MxResolver.MaxAddresses"/> hosts and at most <see cref="MxResolver.MaxExchanges"/> MX
/// names looked up, whatever the number of MX records and addresses.</item>
/// <item>Host names hold no control character (they go to logs, database rows and DSNs).</item>
/// <item>The same seed gives the same hosts in the same order.</item>
/// </list>
/// Hangs show as the test never ending; nothing here measures time.
/// </summary>
public sealed class MxResolverFuzzTests
{
    private const string Domain = "dest.test";
    private const int Port = 25;

    [Fact]
    public async Task Resolving_hostile_zones_gives_bounded_ordered_outcomes_that_match_the_zone()
    {
        await Fuzzing.RunAsync(7505, 400, r => FuzzZone.From(r).ToString(), random => CaseAsync(FuzzZone.From(random)));
    }

    private static async Task CaseAsync(FuzzZone fuzz)
    {
        var zone = fuzz.Build();
        await using var server = await LoopbackDnsServer.StartAsync(zone);
        var dns = server.CreateResolver();
        var lookup = await new MxResolver(dns, new Random(fuzz.Seed)).ResolveAsync(fuzz.Asked, Port, CancellationToken.None);
        var questions = server.Queries.Select(q => (Name: DnsName.TrimTrailingDot(q.Name).ToLowerInvariant(), q.Type)).Distinct().ToList();
        var shown = $"{lookup.Outcome} {lookup.Problem} [{string.Join(", ", lookup.Hosts.Select(h => $"{Fuzzing.Show(h.Name)}/{h.Preference}/{h.Address}"))}]";

        // The outcome is well formed.
        switch (lookup.Outcome)
        {
            case MxLookupOutcome.Hosts:
                Assert.NotEmpty(lookup.Hosts);
                Assert.Null(lookup.Problem);
                break;
            case MxLookupOutcome.TemporaryFailure:
                Assert.Empty(lookup.Hosts);
                Assert.True(lookup.Problem is { IsTemporary: true } && lookup.Problem.Status.StartsWith("4.", StringComparison.Ordinal), shown);
                break;
            case MxLookupOutcome.NoMail:
                Assert.Empty(lookup.Hosts);
                Assert.True(lookup.Problem is { IsPermanent: true, Status: "5.1.2" or "5.1.10" }, shown);
                break;
            default:
                Assert.Fail(shown);
                break;
        }

        Assert.All(lookup.Hosts, h => Assert.Equal(Port, h.Port));
        Assert.All(lookup.Hosts, h => Assert.False(h.Name.Any(char.IsControl), $"host name {Fuzzing.Show(h.Name)} goes to logs and DSNs"));
        Assert.Equal(lookup.Hosts.Count, lookup.Hosts.Select(h => h.Address).Distinct().Count());
        Assert.InRange(lookup.Hosts.Count, 0, MxResolver.MaxAddresses);
        for (var i = 1; i < lookup.Hosts.Count; i++) Assert.True(lookup.Hosts[i - 1].Preference <= lookup.Hosts[i].Preference, shown);

        // Bounded work: the MX question, then two address questions for each MX name looked up (or the domain).
        var exchangesAsked = questions.Where(q => q.Type is DnsRecordType.A or DnsRecordType.Aaaa).Select(q => q.Name).Distinct().Count();
        Assert.True(exchangesAsked <= MxResolver.MaxExchanges, $"{exchangesAsked} names looked up; {shown}");
        Assert.True(questions.Count <= 1 + 2 * MxResolver.MaxExchanges, $"{questions.Count} questions; {shown}");

        // The outcome the zone calls for.
        var expected = Expect(zone, fuzz.Asked);
        switch (expected.Verdict)
        {
            case Verdict.Later:
                Assert.True(lookup.Outcome == MxLookupOutcome.TemporaryFailure, $"expected try later; {shown}");
                break;
            case Verdict.NoDomain:
                Assert.True(lookup.Outcome == MxLookupOutcome.NoMail && lookup.Problem!.Status == "5.1.2", $"expected 5.1.2; {shown}");
                break;
            case Verdict.NullMx:
                Assert.True(lookup.Outcome == MxLookupOutcome.NoMail && lookup.Problem!.Status == "5.1.10", $"expected 5.1.10; {shown}");
                break;
            case Verdict.HostsOrLater:
                Assert.True(lookup.Outcome != MxLookupOutcome.NoMail, $"expected hosts or try later; {shown}");
                CheckHosts(expected, lookup, shown);
                break;
        }

        // The same seed, the same answer (now from the resolver's cache where it kept one).
        var again = await new MxResolver(dns, new Random(fuzz.Seed)).ResolveAsync(fuzz.Asked, Port, CancellationToken.None);
        Assert.Equal(lookup.Outcome, again.Outcome);
        Assert.Equal(lookup.Hosts, again.Hosts);
    }

    private static void CheckHosts(Expected expected, MxLookup lookup, string shown)
    {
        foreach (var host in lookup.Hosts)
        {
            var name = Key(host.Name);
            Assert.True(expected.Exchanges.TryGetValue(name, out var exchange), $"{Fuzzing.Show(host.Name)} is no MX name; {shown}");
            Assert.True(exchange.Addresses.Contains(host.Address), $"{host.Address} is not an address of {Fuzzing.Show(host.Name)}; {shown}");
            Assert.Equal(exchange.Preference, host.Preference);
        }

        if (expected.Exchanges.Count > MxResolver.MaxExchanges) return;

        // Every name fits within the limit: all of its addresses are known, so the answer is exact. A name that is
        // not a host name (raw 8-bit octets in a label) is read back in escaped form, which names another name: its
        // addresses may be missed, never made up.
        var all = expected.Exchanges.Values.SelectMany(e => e.Addresses).Distinct().ToList();
        var certain = expected.Exchanges.Where(e => e.Key.All(char.IsAscii)).SelectMany(e => e.Value.Addresses).Distinct().ToList();
        if (all.Count == 0)
        {
            Assert.True(lookup.Outcome == MxLookupOutcome.TemporaryFailure, $"no address anywhere; {shown}");
            return;
        }

        if (certain.Count == 0) return;
        Assert.True(lookup.Outcome == MxLookupOutcome.Hosts, $"expected hosts; {shown}");
        var given = lookup.Hosts.Select(h => h.Address).ToHashSet();
        if (all.Count <= MxResolver.MaxAddresses) Assert.True(certain.All(given.Contains), $"missing {string.Join(", ", certain.Where(a => !given.Contains(a)))}; {shown}");
        else if (certain.Count >= MxResolver.MaxAddresses) Assert.Equal(MxResolver.MaxAddresses, lookup.Hosts.Count);

        // An address under several MX names is tried at the best preference it has.
        foreach (var host in lookup.Hosts)
        {
            var best = expected.Exchanges.Where(e => e.Key.All(char.IsAscii) || Key(host.Name) == e.Key).Select(e => e.Value)
                .Where(e => e.Addresses.Contains(host.Address)).Min(e => e.Preference);
            Assert.True(host.Preference == best, $"{host.Address} given at {host.Preference}, its best is {best}; {shown}");
        }
    }

    private enum Verdict { Later, NoDomain, NullMx, HostsOrLater }

    private sealed record Exchange(int Preference, HashSet<IPAddress> Addresses);

    private sealed record Expected(Verdict Verdict, Dictionary<string, Exchange> Exchanges);

    /// <summary>What the zone says about the domain, read the way RFC 5321 §5.1 and RFC 7505 read it.</summary>
    private static Expected Expect(DnsZone zone, string asked)
    {
        var none = new Dictionary<string, Exchange>(StringComparer.Ordinal);
        var mx = zone.Resolve(asked, DnsRecordType.Mx);
        if (mx.Outcome == DnsZoneOutcome.ServerFailure) return new Expected(Verdict.Later, none);
        if (mx.Outcome == DnsZoneOutcome.NameError) return new Expected(Verdict.NoDomain, none);

        var records = mx.Of<MxZoneRecord>(DnsRecordType.Mx).ToList();
        if (records.Count == 0)
        {
            var (addresses, temporary) = Addresses(zone, asked);
            var self = new Dictionary<string, Exchange>(StringComparer.Ordinal) { [Key(asked)] = new Exchange(0, addresses) };
            return addresses.Count > 0 ? new Expected(Verdict.HostsOrLater, self)
                : new Expected(temporary ? Verdict.Later : Verdict.NoDomain, none);
        }

        if (records.All(r => r.Exchange.Length == 0)) return new Expected(Verdict.NullMx, none);

        // RFC 7505 §3: a null MX must not come with other MX records. When it does, the domain is misconfigured but
        // its other records still name hosts that take its mail: the null MX is ignored and those hosts are used.
        var exchanges = new Dictionary<string, Exchange>(StringComparer.Ordinal);
        foreach (var record in records.Where(r => r.Exchange.Length > 0).OrderBy(r => r.Preference))
        {
            if (!exchanges.ContainsKey(Key(record.Exchange))) exchanges[Key(record.Exchange)] = new Exchange(record.Preference, Addresses(zone, record.Exchange).Addresses);
        }

        return new Expected(Verdict.HostsOrLater, exchanges);
    }

    private static (HashSet<IPAddress> Addresses, bool Temporary) Addresses(DnsZone zone, string name)
    {
        if (!DnsName.CanQuery(name)) return ([], false);
        var a = zone.Resolve(name, DnsRecordType.A);
        var aaaa = zone.Resolve(name, DnsRecordType.Aaaa);
        var addresses = a.Of<AddressZoneRecord>(DnsRecordType.A).Concat(aaaa.Of<AddressZoneRecord>(DnsRecordType.Aaaa)).Select(r => r.Address).ToHashSet();
        return (addresses, a.Outcome == DnsZoneOutcome.ServerFailure || aaaa.Outcome == DnsZoneOutcome.ServerFailure);
    }

    private static string Key(string name) => DnsName.TrimTrailingDot(name).ToLowerInvariant();

    /// <summary>One random zone for <see cref="Domain"/>, kept as a list of what to add so that a failing case can be
    /// shown and replayed.</summary>
    private sealed class FuzzZone
    {
        private readonly List<ZoneRecord> _records = [];
        private readonly List<(string Name, DnsRecordType? Type)> _failures = [];
        private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

        public string Asked { get; private set; } = Domain;
        public int Seed { get; private set; }

        public DnsZone Build()
        {
            var zone = new DnsZone();
            foreach (var record in _records) zone.Add(record);
            foreach (var (name, type) in _failures) zone.FailWithServerFailure(name, type);
            return zone;
        }

        public override string ToString()
        {
            var text = new StringBuilder($"ask {Fuzzing.Show(Asked)} seed {Seed}:");
            foreach (var group in _records.GroupBy(r => (r.Name, r.Type)).Take(60))
            {
                text.Append(' ').Append(Fuzzing.Show(group.Key.Name)).Append(' ').Append(group.Key.Type).Append(' ');
                text.Append(string.Join(",", group.Take(8).Select(r => r switch
                {
                    MxZoneRecord m => $"{m.Preference} {Fuzzing.Show(m.Exchange.Length == 0 ? "." : m.Exchange)}",
                    AddressZoneRecord a => a.Address.ToString(),
                    NameZoneRecord n => Fuzzing.Show(n.Target),
                    _ => "...",
                })));
                if (group.Count() > 8) text.Append($",... ({group.Count()})");
                text.Append(';');
            }

            foreach (var (name, type) in _failures) text.Append($" SERVFAIL {Fuzzing.Show(name)} {type?.ToString() ?? "*"};");
            return text.ToString();
        }

        public static FuzzZone From(Random random)
        {
            var zone = new FuzzZone
            {
                Asked = random.Pick(["dest.test", "DEST.test", "dest.test.", "Dest.Test."]),
                Seed = random.Next(),
            };
            switch (random.Next(12))
            {
                case 0:
                    // NXDOMAIN: nothing at all (but a sibling, so the zone is not empty).
                    zone.Address("other.test", "192.0.2.99");
                    break;
                case 1:
                    zone.Mx(Domain, 10, "mx.dest.test");
                    zone.Address("mx.dest.test", "192.0.2.1");
                    zone._failures.Add((Domain, random.Chance(0.5) ? DnsRecordType.Mx : null));
                    break;
                case 2:
                    // No MX: the domain's own addresses (implicit MX).
                    zone.Addresses(random, Domain);
                    if (random.Chance(0.2)) zone._failures.Add((Domain, random.Pick<DnsRecordType>([DnsRecordType.A, DnsRecordType.Aaaa])));
                    break;
                case 3:
                    // No MX and no address: the name exists (a TXT record), now and then with an address lookup failing.
                    zone._records.Add(new TxtZoneRecord(Domain, ["v=spf1 -all"], Ttl));
                    if (random.Chance(0.4)) zone._failures.Add((Domain, random.Pick<DnsRecordType>([DnsRecordType.A, DnsRecordType.Aaaa])));
                    break;
                case 4:
                    // The domain is an alias: of a domain with MX records, of one with none, or of itself in a loop.
                    if (random.Chance(0.2))
                    {
                        zone.Cname(Domain, "alias.other.test");
                        zone.Cname("alias.other.test", Domain);
                    }
                    else if (random.Chance(0.2))
                    {
                        zone.Cname(Domain, "gone.other.test");
                        if (random.Chance(0.5)) zone._failures.Add(("gone.other.test", null));
                    }
                    else
                    {
                        zone.Cname(Domain, "real.other.test");
                        if (random.Chance(0.7)) zone.MxSet(random, "real.other.test");
                        else zone.Addresses(random, "real.other.test");
                    }
                    break;
                case 5:
                    // Null MX alone (once or repeated), or with other records.
                    zone.Mx(Domain, random.Chance(0.8) ? 0 : 10, ".");
                    if (random.Chance(0.2)) zone.Mx(Domain, random.Chance(0.5) ? 0 : 20, ".");
                    if (random.Chance(0.4)) zone.MxSet(random, Domain);
                    if (random.Chance(0.3)) zone.Addresses(random, Domain);
                    break;
                default:
                    zone.MxSet(random, Domain);
                    if (random.Chance(0.1)) zone.Addresses(random, Domain);
                    break;
            }

            return zone;
        }

        private void Mx(string name, int preference, string exchange) =>
            _records.Add(new MxZoneRecord(name, preference, DnsName.TrimTrailingDot(exchange), Ttl));

        private void Address(string name, string address) => _records.Add(new AddressZoneRecord(name, IPAddress.Parse(address), Ttl));

        private void Cname(string name, string target) => _records.Add(new NameZoneRecord(name, DnsRecordType.Cname, target, Ttl));

        /// <summary>One to three addresses from a small pool (so hosts share some), now and then hundreds.</summary>
        private void Addresses(Random random, string name)
        {
            var count = random.Chance(0.05) ? 20 + random.Next(200) : 1 + random.Next(3);
            for (var i = 0; i < count; i++)
            {
                Address(name, count > 3 ? (random.Chance(0.5) ? $"198.51.{i / 200}.{1 + i % 200}" : $"2001:db8:1::{i + 1:x}")
                    : random.Chance(0.7) ? $"192.0.2.{1 + random.Next(30)}" : $"2001:db8::{1 + random.Next(30):x}");
            }
        }

        private void MxSet(Random random, string owner)
        {
            var count = random.Chance(0.08) ? 100 + random.Next(300) : random.Chance(0.15) ? 8 + random.Next(30) : 1 + random.Next(6);
            var preferences = random.Next(3) switch
            {
                0 => new[] { 10 },
                1 => [0, 10, 10, 20, 30],
                _ => [random.Next(65536), random.Next(65536), random.Next(65536), 0, 65535],
            };
            var names = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var preference = random.Pick(preferences);
                var name = random.Next(20) switch
                {
                    0 => NoAddress($"empty{i}.dest.test"),
                    1 => $"nx{i}.nowhere.test",
                    2 => Failing(random, $"fail{i}.dest.test"),
                    3 or 4 => Chain(random, $"alias{i}.dest.test", random.Next(1, 4), i),
                    5 => Loop($"loop{i}.dest.test"),
                    6 => AddressText(random),
                    7 => ".",
                    8 or 9 when names.Count > 0 => Vary(random, random.Pick(names)),
                    10 => Host(random, new string('l', 63) + $".{new string('m', 60)}{i % 10}.dest.test"),
                    11 => Host(random, random.Pick(["mx-\u00f1", "\u00e9", "m\u00fc", "\u4e2d"]) + $"{i}.dest.test"),
                    12 => Host(random, $"{new string('a', 60)}.{new string('b', 60)}.{new string('c', 60)}.{new string('d', 50)}{i % 10}.dest.test"),
                    13 when random.Chance(0.3) => Host(random, $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 63)}.{i % 10}.dest.test"),
                    _ => Host(random, $"mx{i}.{random.Pick(["dest.test", "other.test"])}"),
                };
                names.Add(name);
                Mx(owner, preference, random.Chance(0.2) ? Vary(random, name) : name);
            }
        }

        /// <summary>The same name written otherwise: another case, a trailing dot.</summary>
        private static string Vary(Random random, string name)
        {
            if (name == ".") return name;
            var cased = random.Chance(0.5) ? name.ToUpperInvariant() : string.Concat(name.Select(c => random.Chance(0.3) ? char.ToUpperInvariant(c) : c));
            return random.Chance(0.5) && !cased.EndsWith('.') ? cased + "." : cased;
        }

        private string Host(Random random, string name)
        {
            Addresses(random, random.Chance(0.2) ? Vary(random, name) : name);
            return name;
        }

        private string NoAddress(string name)
        {
            _records.Add(new TxtZoneRecord(name, ["not a mail host"], Ttl));
            return name;
        }

        private string Failing(Random random, string name)
        {
            if (random.Chance(0.5)) Addresses(random, name);
            _failures.Add((name, random.Pick<DnsRecordType?>([null, DnsRecordType.A, DnsRecordType.Aaaa])));
            return name;
        }

        private string Chain(Random random, string name, int hops, int i)
        {
            var current = name;
            for (var hop = 1; hop <= hops; hop++)
            {
                var next = $"hop{hop}-{i}.other.test";
                Cname(current, next);
                current = next;
            }

            switch (random.Next(4))
            {
                case 0: break; // ends at a name that does not exist
                case 1: _failures.Add((current, null)); break;
                default: Addresses(random, current); break;
            }

            return name;
        }

        private string Loop(string name)
        {
            Cname(name, "back-" + name);
            Cname("back-" + name, name);
            return name;
        }

        /// <summary>Address text as an MX name: it is a name (RFC 1035 §3.3.9), looked up like any other; now and then
        /// the zone even has an address for it.</summary>
        private string AddressText(Random random)
        {
            var name = random.Pick(["192.0.2.1", "10.0.0.1", "127.0.0.1", "1", "2130706433", "0x7f.1", "[127.0.0.1]", "[192.0.2.7]"]);
            if (random.Chance(0.3)) Address(name, "198.51.100.77");
            return name;
        }
    }
}
