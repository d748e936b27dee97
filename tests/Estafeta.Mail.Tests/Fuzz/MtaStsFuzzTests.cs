using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Testing;

namespace Estafeta.Mail.Tests.Fuzz;

/// <summary>
/// The MTA-STS policy file and the <c>_mta-sts</c> TXT record come from the domains mail is sent to. Real-looking
/// policies and records, mutated: a policy is accepted exactly when RFC 8461 §3.2 allows it (read here again, line by
/// line, by the grammar of the RFC), with what it says; anything else is refused with a reason, never an exception. A
/// record gives an id exactly when §3.1 allows it.
/// </summary>
public sealed partial class MtaStsFuzzTests
{
    private static readonly string[] Policies =
    [
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n",
        "version: STSv1\nmode: testing\nmx: mx1.example.org\nmx: mx2.example.org\nmax_age: 86400\n",
        "version: STSv1\r\nmode: none\r\nmax_age: 31557600",
        "version: STSv1\r\nmode: enforce\r\nmx: gmail-smtp-in.l.google.com\r\nmx: *.gmail-smtp-in.l.google.com\r\nmax_age: 86400\r\n",
        "version: STSv1\nmode: enforce\nmx: *.mail.protection.outlook.com\nmax_age: 604800\nextension_field: some value\n",
        "version:STSv1\r\nmode:testing\r\nmax_age:0\r\nmx:mx.example.test.\r\n",
    ];

    private static readonly string[] PolicyTokens =
    [
        "\r\n", "\n", "\r", " ", "\t", ":", ": ", "version: ", "mode: ", "max_age: ", "mx: ", "STSv1", "STSv2", "stsv1", "Version",
        "enforce", "testing", "none", "Enforce", "report", "0", "1", "31557600", "31557601", "9999999999", "99999999999", "18446744073709551616",
        "-1", "+1", "1e5", "0x10", " 86400", "０", "*.", "*", "*.*.", ".", "..", "-", "_", "example.com", "a.b", "é", "xn--bcher-kva.example",
        new string('a', 64), new string('a', 63) + ".", "\0", "\u00a0", "\u2028", "\u0085", "\x0b", "\x0c", "\x7f",
        "version: STSv1\r\n", "mode: enforce\r\n", "mx: \r\n", "max_age: \r\n", "mode: bogus\r\n", "version: STSv2\r\n",
    ];

    private static readonly string[] Records =
    [
        "v=STSv1; id=20160831085700Z;", "v=STSv1; id=1", "v=STSv1;id=abc123", "v=STSv1; id=20190429T010101; ext=value",
        "v=STSv1 ; id=2024a", "v=STSv1;\tid=" + new string('9', 32),
    ];

    private static readonly string[] RecordTokens =
    [
        ";", " ", "\t", "=", "v=STSv1", "v=STSv10", "v=stsv1", "id=", "id=1", "id=" + new string('a', 33), "ext=", "e.x-t_1=v", "=x", "x",
        "\0", "\u00a0", "\u2028", "é", "\"", ";;", "id=a b", "-", "_ext=1",
    ];

    [Fact]
    public void Mutated_policies_are_accepted_exactly_when_rfc_8461_allows_them_and_otherwise_refused_with_a_reason()
    {
        Fuzzing.Run(8461, 4000, r => Fuzzing.Show(PolicyText(r)), random =>
        {
            var text = PolicyText(random);
            var policy = MtaStsPolicy.Parse("id1", text, out var reason);
            var expected = Reference(text);
            if (expected is null)
            {
                Assert.True(policy is null, $"accepted: {Fuzzing.Show(text)}");
                Assert.False(string.IsNullOrWhiteSpace(reason));
                Assert.DoesNotContain(reason, c => char.IsControl(c));
                return;
            }

            Assert.True(policy is not null, $"refused ({reason}): {Fuzzing.Show(text)}");
            Assert.Null(reason);
            Assert.Equal(expected.Value.Mode, policy.Mode);
            Assert.Equal(expected.Value.MaxAge, (long)policy.MaxAge.TotalSeconds);
            Assert.Equal(expected.Value.Mx, policy.MxPatterns);
            Assert.Equal("id1", policy.Id);
            var again = MtaStsPolicy.Parse("id1", text);
            Assert.Equal((policy.Mode, policy.MaxAge, policy.Text), (again!.Mode, again.MaxAge, again.Text));
            Assert.Equal(policy.MxPatterns, again.MxPatterns);
            foreach (var mx in policy.MxPatterns)
            {
                var host = mx.StartsWith("*.", StringComparison.Ordinal) ? "x" + mx[1..] : mx;
                Assert.True(policy.Allows(host), $"{mx} does not allow {host}");
            }
        });
    }

    [Fact]
    public void A_large_policy_file_is_read_in_time_growing_with_its_size()
    {
        // A hang here shows as the test's timeout; nothing is timed. The resolver reads at most 64 KiB, but Parse has no limit.
        foreach (var run in new[] { "mx: a.example\r\n", ":", "\n", "\r", " ", "version: STSv1\r\n", "a" })
        {
            var text = Policies[0] + string.Concat(Enumerable.Repeat(run, 400_000 / run.Length));
            var policy = MtaStsPolicy.Parse("1", text, out var reason);
            Assert.True(policy is not null || reason is not null);
        }
    }

    [Fact]
    public void Mutated_records_give_an_id_exactly_when_rfc_8461_allows_it()
    {
        Fuzzing.Run(8460, 3000, r => Fuzzing.Show(RecordText(r)), random =>
        {
            var text = RecordText(random);
            var among = MtaStsRecord.Among([text]);
            var isRecord = RecordStart().IsMatch(text);
            Assert.Equal(isRecord ? 1 : 0, among.Count);
            if (!isRecord) return;
            var id = MtaStsRecord.IdOf(text);
            var match = RecordGrammar().Match(text);
            var expected = match.Success ? match.Groups["id"].Captures.FirstOrDefault()?.Value : null;
            Assert.Equal(expected, id);
            if (id is not null) Assert.Matches("^[A-Za-z0-9]{1,32}$", id);
        });
    }

    private static string PolicyText(Random random) => random.Chance(0.03) ? random.Word(60) : random.Mutate(random.Pick(Policies), PolicyTokens);

    private static string RecordText(Random random) => random.Mutate(random.Pick(Records), RecordTokens);

    /// <summary>RFC 8461 §3.2, read again: lines ended by LF or CRLF; a field is a name, ":", optional SP or HTAB, a value and
    /// optional SP or HTAB; version STSv1, mode enforce, testing or none, max_age 1 to 10 digits (more than 31557600 taken as 31557600),
    /// mx a domain of letters, digits and hyphens, "*." before it for one label more (a final dot allowed); other fields
    /// ignored; for version, mode and max_age the last line counts; enforce and testing need an mx.</summary>
    private static (MtaStsMode Mode, long MaxAge, List<string> Mx)? Reference(string text)
    {
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            var field = PolicyField().Match(line);
            if (!field.Success) continue;
            var value = field.Groups["value"].Value;
            switch (field.Groups["name"].Value)
            {
                case "version": version = value; break;
                case "mode": mode = value; break;
                case "max_age": maxAge = value; break;
                case "mx":
                    if (!MxPattern().IsMatch(value) || value.TrimEnd('.').Length > 253) return null;
                    mx.Add(value);
                    break;
            }
        }
        if (version != "STSv1" || maxAge is null || !MaxAge().IsMatch(maxAge)) return null;
        var seconds = long.Parse(maxAge, CultureInfo.InvariantCulture);
        seconds = Math.Min(seconds, 31_557_600); // beyond the most §3.2 allows: kept for a year
        MtaStsMode? m = mode switch { "enforce" => MtaStsMode.Enforce, "testing" => MtaStsMode.Testing, "none" => MtaStsMode.None, _ => null };
        if (m is null || (m != MtaStsMode.None && mx.Count == 0)) return null;
        return (m.Value, seconds, mx);
    }

    [GeneratedRegex(@"^[ \t]*(?<name>[A-Za-z0-9_.-]{1,32})[ \t]*:[ \t]*(?<value>.*?)[ \t]*$", RegexOptions.Singleline)]
    private static partial Regex PolicyField();

    [GeneratedRegex(@"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\z")]
    private static partial Regex MxPattern();

    [GeneratedRegex(@"^[0-9]{1,10}\z")]
    private static partial Regex MaxAge();

    [GeneratedRegex(@"^v=STSv1[ \t]*(;|\z)")]
    private static partial Regex RecordStart();

    /// <summary>RFC 8461 §3.1: v=STSv1, then fields delimited by ";" with SP or HTAB around it, a final ";" allowed;
    /// id= 1 to 32 letters and digits; an extension a name of letters, digits, "_", "-", "." and a value of visible
    /// characters other than ";" and "=".</summary>
    [GeneratedRegex(@"^v=STSv1(?:[ \t]*;[ \t]*(?:id=(?<id>[A-Za-z0-9]{1,32})|(?!id=)[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\x21-\x3a\x3c\x3e-\x7e]+))+(?:[ \t]*;)?[ \t]*\z")]
    private static partial Regex RecordGrammar();
}
