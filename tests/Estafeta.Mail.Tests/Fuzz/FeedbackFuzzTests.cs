using System.Text;
using System.Text.RegularExpressions;
using Estafeta.Mail.Feedback;
using Estafeta.Testing;
using MimeKit;

namespace Estafeta.Mail.Tests.Fuzz;

/// <summary>
/// Bounces and complaint reports come to the bounce and feedback addresses from anyone on the Internet. Real ones from
/// Postfix, Exim, qmail, Gmail, Microsoft and Yahoo, mutated as text, as octets and in their MIME structure: the parsers
/// give a report or null and never throw, the same input gives the same result, and every field that goes on into the
/// outbound events (address, status, detail, Message-ID, sender) is bounded and free of line breaks, NUL and other
/// controls, with addresses that look like addresses.
/// </summary>
public sealed partial class FeedbackFuzzTests
{
    private static readonly string[] Tokens =
    [
        "\r\n", "\n", "\r", "\r\n\r\n", "\r\n ", "\r\n\t", ";", ":", "<", ">", "<>", "@", "@@", ",", "\"", "(", ")", "=", "\0", "\t", " ",
        "Final-Recipient: ", "Original-Recipient: ", "Action: ", "Status: ", "Diagnostic-Code: ", "Remote-MTA: ", "Reporting-MTA: dns; x\r\n\r\n",
        "rfc822;", "rfc822; ", "dns;", "smtp;", "x-unix;", "utf-8;", "unknown;", "failed", "delayed", "delivered", "relayed", "expanded",
        "\r\nFinal-Recipient: rfc822; z@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n",
        "\r\n\r\nFinal-Recipient: rfc822; y@example.com\r\nStatus: 4.4.7\r\n",
        "5.1.1", "4.4.1", "5.7.1", "2.0.0", "5.", "5.1", "5.1.", "9.9.9", "5.1234.1", "5.1.1234", "550", "451", "550-", "250 ", "99999999999999999999",
        "Feedback-Type: ", "User-Agent: ", "Original-Mail-From: ", "Original-Rcpt-To: ", "Message-ID: ", "Return-Path: ", "To: ", "From: ",
        "abuse", "fraud", "virus", "not-spam", "MAILER-DAEMON@", "postmaster@", "X-Failed-Recipients: x@example.com\r\n",
        "Content-Type: ", "multipart/report; report-type=delivery-status; boundary=\"q\"", "multipart/report; report-type=feedback-report; boundary=\"q\"",
        "message/delivery-status", "message/feedback-report", "text/rfc822-headers", "message/rfc822", "multipart/mixed; boundary=\"q\"",
        "\r\n--q\r\n", "\r\n--q--\r\n", "--", "boundary=", "charset=utf-16", "charset=\"x-unknown\"",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "=0D=0A", "=00", "=\r\n", "=ZZ",
        "=?utf-8?b?AA0K?=", "=?utf-8?q?a=0D=0Ab=00c?=", "=?utf-16?b?2AA=?=", "=?utf-16le?b?ANg=?=", "=?iso-8859-1?q?=E9?=", "=?x?q?y?=",
        "=?utf-8?b?G1szMW0=?=", "=?utf-8?q?=E2=80=A8?=", "=?utf-8?b?", "?=",
        "could not be delivered", "undeliverable", "delayed", "will retry", "user unknown", "mailbox full", "spam",
        "é", "\u00ff", "\u0085", "\u2028", "\ud83d\ude00", "\x7f", "\x1b[31m",
        new string('a', 300), new string(' ', 200), new string('5', 40), string.Concat(Enumerable.Repeat("5.1.1 ", 50)),
        string.Concat(Enumerable.Repeat("a@b.cd ", 30)), "<" + new string('x', 400) + "@example.com>",
    ];

    [Fact]
    public void Mutated_bounces_give_a_report_or_null_with_fields_fit_for_the_events()
    {
        Fuzzing.Run(3464, 1500, r => Fuzzing.Show(Input(r, FeedbackSamples.Bounces)), random =>
        {
            var text = Input(random, FeedbackSamples.Bounces);
            var asOctets = random.Chance(0.3);
            var bytes = asOctets ? random.Mutate(Encoding.UTF8.GetBytes(FeedbackSamples.Wire(random.Pick(FeedbackSamples.Bounces)))) : Encoding.UTF8.GetBytes(text);
            if (FeedbackSamples.Load(bytes) is not { } message) return;
            CheckBounce(message);
        });
    }

    [Fact]
    public void Mutated_complaint_reports_give_a_complaint_or_null_with_fields_fit_for_the_events()
    {
        Fuzzing.Run(5965, 1500, r => Fuzzing.Show(Input(r, FeedbackSamples.Complaints)), random =>
        {
            var text = Input(random, FeedbackSamples.Complaints);
            var bytes = random.Chance(0.3)
                ? random.Mutate(Encoding.UTF8.GetBytes(FeedbackSamples.Wire(random.Pick(FeedbackSamples.Complaints))))
                : Encoding.UTF8.GetBytes(text);
            if (FeedbackSamples.Load(bytes) is not { } message) return;
            CheckComplaint(message);
            // A complaint is read by the bounce parser too when it is not one (FeedbackReceiver tries both).
            CheckBounce(message);
        });
    }

    [Fact]
    public void The_unmutated_samples_are_read_in_full()
    {
        foreach (var (sample, addresses) in FeedbackSamples.DsnRecipients)
        {
            var report = BounceParser.Parse(FeedbackSamples.Load(FeedbackSamples.Wire(sample))!);
            Assert.NotNull(report);
            Assert.True(report.Standard);
            Assert.Equal(addresses, report.Recipients.Select(r => r.Address));
        }

        foreach (var (sample, address) in new[] { (FeedbackSamples.Exim, "fede@example.org"), (FeedbackSamples.Qmail, "gala@example.com") })
        {
            var report = BounceParser.Parse(FeedbackSamples.Load(FeedbackSamples.Wire(sample))!);
            Assert.NotNull(report);
            Assert.False(report.Standard);
            // The first address named is the one that failed (Exim's copy of the original names more after it).
            Assert.Equal((address, "failed"), (report.Recipients[0].Address, report.Recipients[0].Action));
        }

        var yahoo = ComplaintParser.Parse(FeedbackSamples.Load(FeedbackSamples.Wire(FeedbackSamples.Yahoo))!)!;
        Assert.Equal(("abuse", "hugo@yahoo.com", "oferta-1@origen.test", "bounce+1-2-3-abc@origen.test"), (yahoo.FeedbackType, yahoo.OriginalRcptTo, yahoo.OriginalMessageId, yahoo.OriginalReturnPath));
        var hotmail = ComplaintParser.Parse(FeedbackSamples.Load(FeedbackSamples.Wire(FeedbackSamples.MicrosoftJmrp))!)!;
        Assert.Equal(("abuse", "ines@hotmail.com", "oferta-2@origen.test", "bounce+1-2-3-abc@origen.test"), (hotmail.FeedbackType, hotmail.OriginalRcptTo, hotmail.OriginalMessageId, hotmail.OriginalReturnPath));
    }

    [Fact]
    public void A_generated_dsn_with_many_groups_in_any_transfer_encoding_and_nesting_has_all_its_recipients_found()
    {
        Fuzzing.Run(1894, 60, r => Fuzzing.Show(GeneratedDsn(r, out _)), random =>
        {
            var text = GeneratedDsn(random, out var expected);
            var message = FeedbackSamples.Load(text)!;
            var report = BounceParser.Parse(message);
            Assert.NotNull(report);
            Assert.True(report.Standard);
            Assert.Equal(expected.Select(e => e.Address), report.Recipients.Select(r => r.Address));
            Assert.Equal(expected.Select(e => e.Status), report.Recipients.Select(r => r.Status));
            Assert.Equal(expected.Select(e => e.Action), report.Recipients.Select(r => r.Action));
            CheckBounce(message);
        });
    }

    [Fact]
    public void Large_bounces_and_reports_are_read_in_time_growing_with_their_size()
    {
        // A hang here shows as the test's timeout; nothing is timed.
        var runs = new[] { " ", "a", " 5.1", "550 ", "a@b.cd ", "<", "\r\n ", ": ", "Status: 5.1.1\r\n" };
        foreach (var run in runs)
        {
            var filler = string.Concat(Enumerable.Repeat(run, 300_000 / run.Length));
            // A standard DSN, a plain-text bounce (the path that searches the text) and an ARF report.
            foreach (var sample in new[] { FeedbackSamples.Microsoft, FeedbackSamples.Qmail, FeedbackSamples.Yahoo })
            {
                var wire = FeedbackSamples.Wire(sample);
                // In the body of the first text part and in the delivery-status or feedback-report fields.
                var body = wire.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                var field = wire.IndexOf("Diagnostic-Code:", StringComparison.Ordinal) is >= 0 and var d ? d + 16
                    : wire.IndexOf("User-Agent:", StringComparison.Ordinal) is >= 0 and var u ? u + 11 : body;
                foreach (var at in new[] { body, field })
                {
                    if (FeedbackSamples.Load(wire.Insert(at, filler)) is not { } message) continue;
                    CheckBounce(message);
                    CheckComplaint(message);
                }
            }
        }
    }

    internal static void CheckBounce(MimeMessage message)
    {
        var report = BounceParser.Parse(message);
        Assert.Equal(Describe(report), Describe(BounceParser.Parse(message)));
        if (report is null) return;
        Assert.NotNull(report.Recipients);
        Assert.True(report.Standard || report.Recipients.Count is > 0 and <= 10);
        foreach (var r in report.Recipients)
        {
            if (r.Address is not null) AssertAddress(r.Address);
            Assert.False(string.IsNullOrEmpty(r.Action));
            AssertFit(r.Action, 100);
            if (r.Status is not null) Assert.Matches(StatusCode(), r.Status);
            if (r.Diagnostic is not null) AssertFit(r.Diagnostic, 1000);
            if (r.RemoteMta is not null) AssertFit(r.RemoteMta, 255);
            _ = r.Class;
        }
    }

    internal static void CheckComplaint(MimeMessage message)
    {
        var complaint = ComplaintParser.Parse(message);
        Assert.Equal(Describe(complaint), Describe(ComplaintParser.Parse(message)));
        if (complaint is null) return;
        Assert.False(string.IsNullOrEmpty(complaint.FeedbackType));
        AssertFit(complaint.FeedbackType, 100);
        if (complaint.UserAgent is not null) AssertFit(complaint.UserAgent, 500);
        // The envelope sender of the original may be the null path.
        if (complaint.OriginalMailFrom is { Length: > 0 } from) AssertAddress(from);
        if (complaint.OriginalRcptTo is not null) AssertAddress(complaint.OriginalRcptTo);
        if (complaint.OriginalReturnPath is { Length: > 0 } path) AssertAddress(path);
        if (complaint.OriginalMessageId is not null) AssertFit(complaint.OriginalMessageId, 998);
        foreach (var to in complaint.OriginalTo) AssertAddress(to);
    }

    /// <summary>Fit for a database column, a log line or a header: bounded, no controls (tab aside), no lone surrogates
    /// (PostgreSQL refuses them, and NUL).</summary>
    internal static void AssertFit(string value, int max)
    {
        Assert.True(value.Length <= max, $"{value.Length} characters: {Fuzzing.Show(value[..Math.Min(value.Length, 200)])}");
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            Assert.False(c is < ' ' and not '\t' or '\x7f' or (>= '\x80' and < '\xa0') or '\u2028' or '\u2029', $"control U+{(int)c:X4} in {Fuzzing.Show(value)}");
            if (char.IsHighSurrogate(c)) Assert.True(i + 1 < value.Length && char.IsLowSurrogate(value[++i]), $"lone surrogate in {Fuzzing.Show(value)}");
            else Assert.False(char.IsLowSurrogate(c), $"lone surrogate in {Fuzzing.Show(value)}");
        }
    }

    internal static void AssertAddress(string address)
    {
        AssertFit(address, 320);
        var at = address.LastIndexOf('@');
        Assert.True(at > 0 && at < address.Length - 1, $"not an address: {Fuzzing.Show(address)}");
        Assert.DoesNotContain(address, c => c is ' ' or '\t' or '<' or '>' or ',' or ';');
    }

    private static string? Describe(BounceReport? report) => report is null ? null
        : $"{report.Standard}|{string.Join("|", report.Recipients.Select(r => $"{r.Address}/{r.Action}/{r.Status}/{r.Diagnostic}/{r.RemoteMta}/{r.Class}"))}";

    private static string? Describe(Complaint? c) => c is null ? null
        : $"{c.FeedbackType}|{c.UserAgent}|{c.OriginalMailFrom}|{c.OriginalRcptTo}|{c.OriginalMessageId}|{c.OriginalReturnPath}|{string.Join(",", c.OriginalTo)}";

    private static string Input(Random random, string[] seeds)
    {
        var text = FeedbackSamples.Wire(random.Pick(seeds));
        return random.Next(6) switch
        {
            0 => Restructure(random, text),
            1 => random.Mutate(random.Mutate(text, Tokens), Tokens),
            _ => random.Mutate(text, Tokens),
        };
    }

    /// <summary>MIME structure changes: a part dropped, doubled or swapped, the report wrapped in another multipart or a
    /// message/rfc822, the boundary or the report type changed.</summary>
    private static string Restructure(Random random, string text)
    {
        var boundary = BoundaryParameter().Match(text) is { Success: true } m ? m.Groups[1].Value : "q";
        var delimiter = "\r\n--" + boundary;
        var pieces = text.Split(delimiter).ToList();
        switch (random.Next(7))
        {
            case 0 when pieces.Count > 3:
                pieces.RemoveAt(1 + random.Next(pieces.Count - 2));
                break;
            case 1 when pieces.Count > 2:
                var copy = 1 + random.Next(pieces.Count - 2);
                for (var n = random.Next(1, 40); n > 0; n--) pieces.Insert(copy, pieces[copy]);
                break;
            case 2 when pieces.Count > 3:
                var a = 1 + random.Next(pieces.Count - 2);
                var b = 1 + random.Next(pieces.Count - 2);
                (pieces[a], pieces[b]) = (pieces[b], pieces[a]);
                break;
            case 3:
                var depth = random.Next(1, 60);
                var wrapped = text;
                for (var d = 0; d < depth; d++)
                    wrapped = $"From: MAILER-DAEMON@x.example\r\nContent-Type: multipart/{random.Pick(new[] { "mixed", "report; report-type=delivery-status", "report; report-type=feedback-report" })}; boundary=\"w{d}\"\r\n\r\n--w{d}\r\n"
                        + (random.Chance(0.5) ? "Content-Type: message/rfc822\r\n\r\n" : "") + wrapped + $"\r\n--w{d}--\r\n";
                return wrapped;
            case 4:
                return text.Replace("report-type=delivery-status", "report-type=feedback-report", StringComparison.Ordinal)
                    .Replace("message/delivery-status", random.Pick(new[] { "message/feedback-report", "text/plain", "message/global-delivery-status" }), StringComparison.Ordinal);
            case 5:
                return text.Replace(boundary, random.Pick(new[] { "", "\"", boundary + boundary, boundary[..(boundary.Length / 2)] }), StringComparison.Ordinal);
            default:
                return text.Replace("\r\n\r\n", random.Pick(new[] { "\r\n", "\r\n \r\n", "\n\n", "\r\n\r\n\r\n" }), StringComparison.Ordinal);
        }
        return string.Join(delimiter, pieces);
    }

    private static string GeneratedDsn(Random random, out List<(string Address, string Status, string Action)> expected)
    {
        expected = [];
        var groups = new StringBuilder("Reporting-MTA: dns; mx.example.net\r\nArrival-Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n");
        var count = random.Chance(0.1) ? random.Next(500, 3000) : random.Next(1, 20);
        for (var i = 0; i < count; i++)
        {
            var address = $"r{i}.{random.Word(4).Where(char.IsAsciiLetterOrDigit).Aggregate("", (s, c) => s + c)}@d{random.Next(100)}.example";
            var status = $"{random.Pick(new[] { "5", "4", "2" })}.{random.Next(8)}.{random.Next(1000)}";
            var action = status[0] switch { '5' => "failed", '4' => "delayed", _ => random.Pick(new[] { "delivered", "relayed", "expanded" }) };
            expected.Add((address, status, action));
            groups.Append("\r\n");
            if (random.Chance(0.3)) groups.Append($"Original-Recipient: rfc822;{address}\r\n");
            groups.Append(random.Chance(0.5) ? $"Final-Recipient: rfc822; {address}\r\n" : $"Final-Recipient: RFC822;<{address}>\r\n");
            groups.Append($"Action: {(random.Chance(0.3) ? action.ToUpperInvariant() : action)}\r\n");
            groups.Append($"Status: {status}{(random.Chance(0.2) ? " (with words)" : "")}\r\n");
            if (random.Chance(0.5)) groups.Append("Remote-MTA: dns; mx.d.example\r\n");
            if (random.Chance(0.5)) groups.Append($"Diagnostic-Code: smtp; {status[0]}50 {status} no\r\n  folded words\r\n");
        }

        var encoding = random.Next(3);
        var content = encoding switch
        {
            1 => Convert.ToBase64String(Encoding.ASCII.GetBytes(groups.ToString()), Base64FormattingOptions.InsertLineBreaks),
            2 => QuotedPrintable(groups.ToString()),
            _ => groups.ToString(),
        };
        var report = "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--r\r\n"
            + "Content-Type: message/delivery-status\r\n" + (encoding switch { 1 => "Content-Transfer-Encoding: base64\r\n", 2 => "Content-Transfer-Encoding: quoted-printable\r\n", _ => "" })
            + "\r\n" + content + "\r\n--r--\r\n";
        var header = "From: MAILER-DAEMON@mx.example.net\r\nTo: bounce+1-2-3-abc@origen.test\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n";
        // Sometimes forwarded inside another message (the DSN is then one of its body parts).
        return random.Chance(0.3)
            ? header + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--outer\r\n" + report + "\r\n--outer--\r\n"
            : header + report;
    }

    private static string QuotedPrintable(string text) =>
        string.Concat(text.Select(c => c is '=' or ';' or ':' ? $"={(int)c:X2}" : c.ToString())).Replace("\r\n", "=0D=0A=\r\n", StringComparison.Ordinal);

    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex StatusCode();

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex BoundaryParameter();
}
