using System.Text;
using System.Text.RegularExpressions;
using Estafeta.Testing;
using MimeKit;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>
/// The delivery status notifications the MTA writes back to senders (<see cref="DsnBuilder"/>), built from random
/// originals (campaign mail in Spanish, multipart/alternative, 8-bit and UTF-8 headers, SMTPUTF8 senders; and bare
/// line ends, NUL, over-long lines, huge header fields, no header, no empty line after the header, only dots, invalid
/// UTF-8, several megabytes), ENVID and ORCPT values with every octet xtext can carry, RET values, and recipients
/// with every action and status class, remote MTA names and long answers. Each DSN is checked:
/// <list type="bullet">
/// <item>building it throws nothing, and the same input gives the same DSN but for its date, Message-ID and
/// boundaries;</item>
/// <item>it is a multipart/report; report-type=delivery-status (RFC 6522) of a text part for people, a
/// message/delivery-status part and the returned content: message/rfc822 for RET=FULL, text/rfc822-headers for
/// RET=HDRS and delay notices (RFC 3461 §4.3);</item>
/// <item>the delivery-status part parses back: Reporting-MTA, Original-Envelope-Id exactly when ENVID was given,
/// one group per recipient with Final-Recipient, Original-Recipient exactly when ORCPT was given, the Action given,
/// a Status whose class fits the action, and a Diagnostic-Code of "smtp; " and the answer;</item>
/// <item>every line ends in CRLF and holds at most 998 octets and no NUL; no header field (of the DSN, its parts or
/// the status groups) holds a control character or a line break but in folding;</item>
/// <item>its size is bounded whatever the original's.</item>
/// </list>
/// </summary>
public sealed class DsnFuzzTests
{
    private static readonly DateTimeOffset Arrival = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Arrival.AddHours(5);

    /// <summary>Room for the DSN around the returned content: its header, the text, the status groups.</summary>
    private const int Overhead = 256 * 1024;

    [Fact]
    public void Dsns_built_from_random_originals_envelopes_and_answers_are_well_formed()
    {
        Fuzzing.Run(3464, 150, r => Case.From(r).ToString(), random => Check(Case.From(random)));
    }

    internal sealed record Case(string To, string? EnvelopeId, string? Ret, IReadOnlyList<DsnRecipient> Recipients, byte[] Original, string Kind, bool Mutated)
    {
        public static Case From(Random random)
        {
            var to = random.Pick(["ana@origen.test", "josé.núñez@correo.example", "\"ana maría\"@origen.test", "postmaster@origen.test", "x@[192.0.2.1]", "ANA+lista@Origen.Test"]);
            var envelopeId = random.Next(4) switch
            {
                0 => null,
                1 => "campaña-2025-03:" + random.Next(1000),
                2 => EveryOctet(random, 1 + random.Next(100)),
                _ => Printable(random, 1 + random.Next(100)),
            };
            var ret = random.Pick<string?>([null, null, "FULL", "HDRS", "full", "hdrs"]);
            var recipients = new List<DsnRecipient>();
            var actions = random.Chance(0.5)
                ? [random.Pick(["failed", "delayed", "relayed"])]
                : new[] { "failed", "delayed", "delivered", "relayed", "expanded" };
            for (var k = random.Next(1, 6); k > 0; k--) recipients.Add(Recipient(random, random.Pick(actions), k));
            var (original, kind) = MakeOriginal(random);
            var mutated = random.Chance(0.3);
            if (mutated) original = random.Mutate(original);
            return new Case(to, envelopeId, ret, recipients, original, kind, mutated);
        }

        private static DsnRecipient Recipient(Random random, string action, int k)
        {
            var address = random.Pick([$"r{k}@destino.test", $"señora{k}@destino.example", $"r{k}@ñandú.example", $"\"r {k}\"@destino.test", $"R{k}@[IPv6:2001:db8::1]"]);
            var orcpt = random.Next(5) switch
            {
                0 => "rfc822;" + address,
                1 => "utf-8;" + address,
                2 => "rfc822;" + EveryOctet(random, 1 + random.Next(60)),
                3 => Printable(random, 1 + random.Next(40)).Replace(';', ','),
                _ => null,
            };
            var code = action switch
            {
                "failed" => random.Chance(0.1) ? 451 : random.Pick([550, 551, 552, 553, 554, 500]),
                "delayed" => random.Pick([421, 450, 451, 452]),
                _ => random.Pick([250, 251]),
            };
            var text = random.Next(6) switch
            {
                0 => "5.1.1 <" + address + ">: Recipient address rejected: User unknown in virtual mailbox table",
                1 => new string('x', 2000),
                2 => string.Join(' ', Enumerable.Range(0, 300).Select(i => "palabra" + i)),
                3 => random.Mutate("4.7.1 Servicio no disponible, inténtelo más tarde", ["\r\n", "\0", "é", "5.1.1 ", ";", "\t"]),
                4 => "",
                _ => random.Word(40),
            };
            var answer = SmtpAnswer.From(code, text);
            if (action == "failed" && code == 451) answer = answer with { Status = "4.4.7" };
            var remote = random.Pick<string?>([null, "mx.destino.test", "mx1.ñandú.example", new string('m', 300) + ".test", "[192.0.2.7]"]);
            var diagnostic = action is "failed" or "delayed" || random.Chance(0.3) ? answer.ToString() : null;
            return new DsnRecipient(address, orcpt, action, answer.Status, remote, diagnostic, Arrival.AddMinutes(k),
                action == "delayed" ? Arrival.AddDays(5) : null);
        }

        private static (byte[] Original, string Kind) MakeOriginal(Random random)
        {
            var kind = random.Pick(["campaign", "alternative", "utf8-headers", "smtputf8", "bare-lf", "bare-cr", "nul", "long-line",
                "huge-header", "no-header", "no-empty-line", "dots", "invalid-utf8", "several-mb", "empty"]);
            var campaign = "From: =?utf-8?q?Tienda_Espa=C3=B1a?= <boletin@tienda.example>\r\nTo: <ana@origen.test>\r\n"
                + "Subject: =?utf-8?q?Ofertas_de_oto=C3=B1o?=\r\nDate: Mon, 03 Mar 2025 08:00:00 +0100\r\nMessage-ID: <c1@tienda.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "Hola Ana,\r\n\r\nEste oto=C3=B1o, descuentos en toda la tienda.\r\n.\r\n..\r\nDarse de baja: https://tienda.example/baja\r\n";
            var alternative = "From: Tienda <boletin@tienda.example>\r\nTo: ana@origen.test\r\nSubject: Novedades\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nAñadimos más productos: camión, pingüino, corazón.\r\n--alt\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<p>Añadimos <b>más</b> productos.</p>\r\n--alt--\r\n";
            var utf8Headers = "From: Tienda España <boletin@tienda.example>\r\nTo: Ana Núñez <ana@origen.test>\r\nSubject: ¡Rebajas de año nuevo!\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n¿Qué tal? Ñu.\r\n";
            var smtpUtf8 = "From: José <josé.núñez@correo.example>\r\nTo: <señora@ñandú.example>\r\nSubject: Añoranza\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHola.\r\n";
            byte[] bytes = kind switch
            {
                "campaign" => Utf8(campaign),
                "alternative" => Utf8(alternative),
                "utf8-headers" => Utf8(utf8Headers),
                "smtputf8" => Utf8(smtpUtf8),
                "bare-lf" => Utf8(campaign.Replace("\r\n", "\n", StringComparison.Ordinal)),
                "bare-cr" => Utf8(campaign.Replace("\r\n", "\r", StringComparison.Ordinal)),
                "nul" => Utf8(campaign.Replace("Hola", "Ho\0la", StringComparison.Ordinal).Replace("Subject: ", "Subject: \0", StringComparison.Ordinal)),
                "long-line" => Utf8(campaign + new string('a', random.Next(999, 20000)) + "\r\n" + "Subject: " + new string('b', 1500) + "\r\n"),
                "huge-header" => Utf8("X-Relleno: " + Words(random.Next(100_000, 400_000), random.Chance(0.5)) + "\r\n" + campaign),
                "no-header" => Utf8("\r\nSolo un cuerpo, sin cabecera.\r\n"),
                "no-empty-line" => Utf8("From: <boletin@tienda.example>\r\nSubject: sin cuerpo\r\n"),
                "dots" => Utf8("From: <boletin@tienda.example>\r\n\r\n" + string.Concat(Enumerable.Repeat(".\r\n", random.Next(1, 50)))),
                "invalid-utf8" => [.. Utf8("From: <boletin@tienda.example>\r\nSubject: "), 0xff, 0xc3, 0x28, .. Utf8("\r\n\r\nCuerpo "), 0xed, 0xa0, 0x80, 0xc0, 0xaf, 13, 10],
                "several-mb" => Utf8(campaign + string.Concat(Enumerable.Repeat("Línea de relleno de la campaña de otoño, con acentos: áéíóú.\r\n", random.Next(50_000, 80_000)))),
                _ => [],
            };
            return (bytes, kind);
        }

        private static string Words(int length, bool spaces)
        {
            var b = new StringBuilder(length + 16);
            while (b.Length < length) b.Append(spaces ? "relleno " : "relleno");
            return b.ToString();
        }

        private static string EveryOctet(Random random, int length) =>
            string.Concat(Enumerable.Range(0, length).Select(_ => (char)random.Next(0, 256)));

        private static string Printable(Random random, int length) =>
            string.Concat(Enumerable.Range(0, length).Select(_ => (char)random.Next('!', '~' + 1)));

        public override string ToString() =>
            $"to {Fuzzing.Show(To)}, ENVID {(EnvelopeId is null ? "none" : Fuzzing.Show(EnvelopeId))}, RET {Ret ?? "none"}, {(Mutated ? "mutated " : "")}{Kind} original of {Original.Length} octets"
            + $" {Fuzzing.Show(Original.Length > 300 ? Original[..300] : Original)}, recipients "
            + string.Join("; ", Recipients.Select(r => Fuzzing.Show($"{r.Address} {r.Orcpt} {r.Action} {r.Status} {r.RemoteMta} {(r.Diagnostic is { Length: > 200 } d ? d[..200] + "..." : r.Diagnostic)}")));
    }

    internal static byte[] Build(Case c) =>
        DsnBuilder.Build("mta.origen.test", c.To, c.EnvelopeId, Arrival, Now, c.Recipients, new MemoryStream(c.Original), c.Ret, c.Original.Length);

    internal static void Check(Case c)
    {
        var dsn = Build(c);
        var problems = new List<string>();
        CheckLines(dsn, problems);
        if (dsn.Length > DsnBuilder.MaxReturnedContent + Overhead) problems.Add($"a DSN of {dsn.Length} octets");
        if (!Masked(Build(c)).SequenceEqual(Masked(dsn))) problems.Add("another DSN from the same input");
        if (problems.Count == 0) CheckStructure(c, dsn, problems);
        if (problems.Count > 0) throw new Xunit.Sdk.XunitException(string.Join("\n", problems.Distinct().Take(10)));
    }

    /// <summary>Every line ends in CRLF, holds at most 998 octets and no NUL; header fields (up to the empty line of
    /// each header, the DSN's, its parts', the status groups') hold no control character and continue only by folding.</summary>
    internal static void CheckLines(byte[] dsn, List<string> problems)
    {
        var inHeader = true;
        var delimiters = 0;
        var start = 0;
        var line = 0;
        while (start < dsn.Length)
        {
            var end = Array.IndexOf(dsn, (byte)'\n', start);
            if (end < 0)
            {
                problems.Add($"line {line} does not end in CRLF: {Fuzzing.Show(dsn[start..Math.Min(dsn.Length, start + 80)])}");
                return;
            }
            if (end == start || dsn[end - 1] != '\r')
            {
                problems.Add($"a bare LF at line {line}: {Fuzzing.Show(dsn[start..Math.Min(end, start + 80)])}");
                return;
            }
            var content = dsn.AsSpan(start, end - 1 - start);
            if (content.Length > 998) problems.Add($"line {line} of {content.Length} octets: {Fuzzing.Show(content[..80].ToArray())}");
            if (content.IndexOf((byte)'\r') >= 0) problems.Add($"a bare CR at line {line}: {Fuzzing.Show(content[..Math.Min(80, content.Length)].ToArray())}");
            if (content.IndexOf((byte)0) >= 0) problems.Add($"a NUL at line {line}: {Fuzzing.Show(content[..Math.Min(80, content.Length)].ToArray())}");
            if (content.Length == 0) inHeader = false;
            else if (content.StartsWith("--=-"u8) && delimiters < 3)
            {
                inHeader = true;
                delimiters++;
            }
            else if (inHeader && HeaderLine(content, line, problems) is { } problem) problems.Add(problem);
            start = end + 1;
            line++;
        }
    }

    private static string? HeaderLine(ReadOnlySpan<byte> content, int line, List<string> problems)
    {
        foreach (var b in content)
            if (b is < 0x20 and not (byte)'\t' || b == 0x7f) return $"a control character in header line {line}: {Fuzzing.Show(content.ToArray())}";
        if (content[0] is (byte)' ' or (byte)'\t') return null;
        var colon = content.IndexOf((byte)':');
        if (colon <= 0) return $"header line {line} is neither a field nor a continuation: {Fuzzing.Show(content[..Math.Min(80, content.Length)].ToArray())}";
        return null;
    }

    private static void CheckStructure(Case c, byte[] dsn, List<string> problems)
    {
        var message = MimeMessage.Load(new MemoryStream(dsn));
        if (message.Body is not MultipartReport report || !report.ContentType.IsMimeType("multipart", "report")
            || !string.Equals(report.ContentType.Parameters["report-type"], "delivery-status", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"a body of {message.Body?.ContentType.MimeType}");
            return;
        }
        if (report.Count != 3) problems.Add($"a report of {report.Count} parts");
        if (report.Count < 2) return;
        if (report[0] is not TextPart { IsPlain: true }) problems.Add($"a first part of {report[0].ContentType.MimeType}");
        if (report[1] is not MessageDeliveryStatus status)
        {
            problems.Add($"a second part of {report[1].ContentType.MimeType}");
            return;
        }
        if (message.From.Mailboxes.SingleOrDefault()?.Address != "MAILER-DAEMON@mta.origen.test") problems.Add($"From: {message.From}");
        if (message.Headers["Auto-Submitted"] != "auto-replied") problems.Add("no Auto-Submitted: auto-replied");

        var groups = status.StatusGroups.ToList();
        while (groups.Count > 0 && groups[^1].Count == 0) groups.RemoveAt(groups.Count - 1);
        if (groups.Count != c.Recipients.Count + 1)
        {
            problems.Add($"{groups.Count} status groups for {c.Recipients.Count} recipients");
            return;
        }
        var perMessage = groups[0];
        if (perMessage["Reporting-MTA"] != "dns; mta.origen.test") problems.Add($"Reporting-MTA: {perMessage["Reporting-MTA"]}");
        if (c.EnvelopeId is { Length: > 0 } envid)
        {
            var field = perMessage["Original-Envelope-Id"];
            if (field is null) problems.Add("no Original-Envelope-Id");
            else if (envid.All(ch => ch is > ' ' and <= '~') && field != envid) problems.Add($"Original-Envelope-Id: {Fuzzing.Show(field)} for {Fuzzing.Show(envid)}");
        }
        else if (perMessage.Contains("Original-Envelope-Id")) problems.Add("an Original-Envelope-Id without ENVID");

        for (var i = 0; i < c.Recipients.Count; i++)
        {
            var r = c.Recipients[i];
            var group = groups[i + 1];
            if (group["Final-Recipient"] is not { } final || !final.StartsWith("rfc822;", StringComparison.OrdinalIgnoreCase) && !final.StartsWith("utf-8;", StringComparison.OrdinalIgnoreCase))
                problems.Add($"Final-Recipient: {group["Final-Recipient"]}");
            if (r.Orcpt is { Length: > 0 } != group.Contains("Original-Recipient")) problems.Add($"Original-Recipient {group["Original-Recipient"]} for ORCPT {r.Orcpt}");
            if (group["Original-Recipient"] is { } original && !Regex.IsMatch(original, @"^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+ ?;")) problems.Add($"Original-Recipient: {Fuzzing.Show(original)}");
            if (group["Action"] != r.Action) problems.Add($"Action: {group["Action"]} for {r.Action}");
            var statusCode = group["Status"] ?? "";
            var expected = r.Action switch { "failed" => "45", "delayed" => "4", _ => "2" };
            if (!Regex.IsMatch(statusCode, @"^[245]\.\d{1,3}\.\d{1,3}$") || !expected.Contains(statusCode[0], StringComparison.Ordinal))
                problems.Add($"Status: {statusCode} for {r.Action}");
            if (r.Diagnostic is { Length: > 0 } != group.Contains("Diagnostic-Code")) problems.Add($"Diagnostic-Code {group["Diagnostic-Code"]} for {r.Diagnostic}");
            if (group["Diagnostic-Code"] is { } diagnostic)
            {
                if (!diagnostic.StartsWith("smtp; ", StringComparison.Ordinal)) problems.Add($"Diagnostic-Code: {diagnostic}");
                else if (!r.Diagnostic!.StartsWith(Unfolded(diagnostic["smtp; ".Length..]).TrimEnd(' ', '.'), StringComparison.Ordinal))
                    problems.Add($"Diagnostic-Code: {Fuzzing.Show(diagnostic)} for {Fuzzing.Show(r.Diagnostic)}");
            }
            if (r.RemoteMta is { Length: > 0 } && group["Remote-MTA"] is not { } remote) problems.Add("no Remote-MTA");
        }

        if (report.Count < 3) return;
        var returned = report[2];
        var wellFormed = !c.Mutated && c.Kind is "campaign" or "alternative" or "utf8-headers" or "smtputf8" or "dots" or "several-mb";
        var end = c.Original.AsSpan().IndexOf("\r\n\r\n"u8);
        var header = end < 0 ? c.Original : c.Original[..(end + 2)];
        var content = ThirdPart(dsn, report.Boundary ?? "");
        if (c.Ret is "HDRS" or "hdrs" || c.Recipients.All(r => r.Action == "delayed") || c.Original.Length > DsnBuilder.MaxReturnedContent)
        {
            if (wellFormed && !content.SequenceEqual(header)) problems.Add($"returned header {Fuzzing.Show(content)}");
            if (!returned.ContentType.IsMimeType("text", "rfc822-headers") && !returned.ContentType.IsMimeType("message", "global-headers"))
                problems.Add($"returned content of {returned.ContentType.MimeType} for RET={c.Ret}");
        }
        else if (wellFormed && !content.SequenceEqual(c.Original)) problems.Add($"returned message {Fuzzing.Show(content.Length > 300 ? content[..300] : content)}");
        if (!returned.ContentType.IsMimeType("message", "rfc822") && !returned.ContentType.IsMimeType("message", "global")
            && !returned.ContentType.IsMimeType("text", "rfc822-headers") && !returned.ContentType.IsMimeType("message", "global-headers"))
            problems.Add($"returned content of {returned.ContentType.MimeType}");
    }

    /// <summary>The content of the report's third part as written, up to the CRLF of the closing delimiter.</summary>
    private static byte[] ThirdPart(byte[] dsn, string boundary)
    {
        var delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        var at = 0;
        for (var i = 0; i < 3; i++) at = dsn.AsSpan(at).IndexOf(delimiter) is var next and >= 0 ? at + next + delimiter.Length : -1;
        if (at < 0) return [];
        var start = at + dsn.AsSpan(at).IndexOf("\r\n\r\n"u8) + 4;
        var close = dsn.AsSpan(start - 2).IndexOf(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--"));
        return close < 0 ? [] : dsn[start..(start - 2 + close)];
    }

    private static string Unfolded(string text) => Regex.Replace(text, @"\r?\n[ \t]", m => m.Value[^1..]);

    /// <summary>The DSN without what changes from one build to the next: its date, Message-ID and MIME boundaries.</summary>
    internal static byte[] Masked(byte[] dsn)
    {
        var text = Encoding.Latin1.GetString(dsn);
        text = Regex.Replace(text, @"(?m)^Message-Id: .*$", "Message-Id: *", RegexOptions.IgnoreCase);
        foreach (Match m in Regex.Matches(text, "boundary=\"([^\"]+)\""))
            text = text.Replace(m.Groups[1].Value, "*", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
