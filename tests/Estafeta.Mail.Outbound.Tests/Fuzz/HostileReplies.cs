using System.Text;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>
/// Replies a receiving server might send, taken from real ones (Postfix, Exim, Gmail, Microsoft), then broken
/// now and then as <paramref name="hostility"/> says: a code another command would get or none a server may
/// send (1xx, 6xx, 000), codes that change between the lines of one reply, a "250-" that never ends, a code
/// without text, bare LF or CR line ends, NUL, control and 8-bit octets, invalid UTF-8, lines and replies
/// near and past the client's limits, an extra reply before or after the right one, a reply cut short with the
/// connection, and every reply written in pieces.
/// </summary>
internal sealed class HostileReplies(Random random, double hostility)
{
    private static readonly string[] Greetings =
    [
        "220 mx.google.com ESMTP a1si123456wrb.12 - gsmtp",
        "220 mail.example.com ESMTP Postfix (Debian/GNU)",
        "220 mx1.example.org ESMTP Exim 4.96 Mon, 03 Mar 2025 09:00:00 +0000",
        "220-mx.example.net ESMTP\r\n220-We do not authorize the use of this system to transport unsolicited,\r\n220 and/or bulk e-mail.",
        "220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready at Mon, 3 Mar 2025 09:00:00 +0000 [08DC1234ABCD5678]",
        "220 mx.example.com",
    ];

    private static readonly string[] Refusals =
    [
        "421 4.3.2 Service not available, closing transmission channel",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        "421 mx.example.com Too many concurrent SMTP connections; please try again later.",
    ];

    private static readonly string[] Ehlos =
    [
        "250-mx.google.com at your service, [192.0.2.1]\r\n250-SIZE 157286400\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8",
        "250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING",
        "250-mx1.example.org Hello client.example.test [127.0.0.1]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-PIPE_CONNECT\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250 HELP",
        "250-AM0PR01CA0001.outlook.office365.com Hello [192.0.2.1]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH LOGIN XOAUTH2\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8",
        "250-mx.example.net\r\n250-SIZE\r\n250-SIZE -1\r\n250-SIZE=99999999999999999999\r\n250-AUTH=LOGIN PLAIN\r\n250 PIPELINING",
        "250-mx.google.com at your service\r\n250-STARTTLS\r\n250-PIPELINING\r\n250 8BITMIME",
        "250 mail.example.com",
        "500 5.5.1 Command unrecognized: \"EHLO client.example.test\"",
        "421 4.7.0 mx.example.com Error: too many errors",
    ];

    private static readonly string[] Helos = ["250 mail.example.com", "501 5.5.4 Syntax: HELO hostname", "250 mx.example.org Hello client [127.0.0.1]"];

    private static readonly string[] StartTls = ["220 2.0.0 Ready to start TLS", "454 4.7.0 TLS not available due to local problem", "502 5.5.1 Error: command not implemented"];

    private static readonly string[] Auths =
    [
        "235 2.7.0 Authentication successful", "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials",
        "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", "504 5.5.4 Unrecognized authentication type", "454 4.7.0 Temporary authentication failure",
    ];

    private static readonly string[] Mails =
    [
        "250 2.1.0 Ok", "250 2.1.0 OK a1si123456wrb.12 - gsmtp", "250 OK", "250 2.1.0 Sender OK",
        "451 4.7.1 Greylisted, please try again in 5 minutes", "452 4.3.1 Insufficient system storage", "550 5.7.1 Sender rejected",
        "552 5.3.4 Message size exceeds fixed limit", "421 4.7.0 mx.example.com closing connection", "501 5.1.7 Bad sender address syntax",
    ];

    private static readonly string[] Rcpts =
    [
        "250 2.1.5 Ok", "250 2.1.5 OK a1si123456wrb.12 - gsmtp", "250 Accepted", "251 2.1.5 User not local; will forward",
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1si123456wrb.12 - gsmtp",
        "550 5.1.1 <bea@destino.test>: Recipient address rejected: User unknown in virtual mailbox table",
        "450 4.2.0 <bea@destino.test>: Recipient address rejected: Greylisted", "452 4.5.3 Too many recipients",
        "421 4.7.0 mx.example.com closing connection", "553 5.1.3 Invalid address", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]",
    ];

    private static readonly string[] Datas =
    [
        "354 End data with <CR><LF>.<CR><LF>", "354  Go ahead a1si123456wrb.12 - gsmtp", "354 Enter message, ending with \".\" on a line by itself",
        "554 5.5.1 Error: no valid recipients", "451 4.3.0 Error: queue file write error", "503 5.5.1 Error: need RCPT command", "421 4.4.2 mx.example.com Error: timeout exceeded",
    ];

    private static readonly string[] Ends =
    [
        "250 2.0.0 Ok: queued as 4Xk1Yz2abcz", "250 2.0.0 OK  1741000000 a1si123456wrb.12 - gsmtp", "250 OK id=1tXyZa-000Abc-2D",
        "250 2.6.0 <fuzz@origen.test> [InternalId=12345678901234, Hostname=AM0PR01MB0001.eurprd01.prod.exchangelabs.com] Queued mail for delivery",
        "451 4.3.0 Error: queue file write error", "550 5.7.1 Message rejected as spam", "554 5.7.1 Message rejected: content policy",
        "552-5.2.3 Your message exceeded Google's message size limits. Please visit\r\n552 5.2.3 https://support.google.com/mail/?p=MaxSizeError a1si123456wrb.12 - gsmtp",
        "421 4.4.2 mx.example.com Error: timeout exceeded",
    ];

    private static readonly string[] Others = ["250 2.0.0 Ok", "250 2.0.0 Reset state", "221 2.0.0 Bye", "500 5.5.2 Error: command not recognized", "334 UGFzc3dvcmQ6", "235 2.7.0 Accepted"];

    private static readonly string[][] All = [Greetings, Refusals, Ehlos, Helos, StartTls, Auths, Mails, Rcpts, Datas, Ends, Others];

    /// <summary>Replies no server should send: codes outside 2xx to 5xx, a code alone, a 354 or 2xx where neither
    /// makes sense.</summary>
    private static readonly string[] Odd =
    [
        "199 2.0.0 Ok", "600 5.0.0 No", "000 Ok", "099", "999 what", "354 Start mail input", "250 2.0.0 Ok", "251 Ok", "220 Ready",
        "252 2.1.5 Cannot VRFY user", "2500 Ok", "25 Ok", "250", "354", "550", "250 ", "250-", "221 Bye", "334 ",
    ];

    private static readonly string[] Tokens =
    [
        "\r\n", "\n", "\r", "\0", "-", " ", "250-", "250 ", "354 ", "550-", "421 ", "221 ", "5.1.1 ", "2.0.0 ", "4.", "5.", "\u0085", "é", "\u2028",
        "\x1b[31m", "\x7f", "PIPELINING", "SIZE -1", "SIZE=99999999999999999999", "STARTTLS", "DSN", "SMTPUTF8", "8BITMIME", "AUTH PLAIN",
        "\r\n250 Ok", "\r\n550 5.1.1 No", "000 ", "600 x", "199 ", "\r\n\r\n",
    ];

    public HostileReply Next(string? command)
    {
        string text;
        if (command is null) text = random.Chance(0.05) ? random.Pick(Refusals) : random.Pick(Greetings);
        else text = random.Pick(SeedsFor(command));

        var mutate = random.Chance(hostility);
        if (mutate)
        {
            for (var i = random.Next(1, 3); i > 0; i--) text = Edit(text);
        }
        var bytes = Encoding.UTF8.GetBytes(text + "\r\n");
        if (mutate && random.Chance(0.3)) bytes = LineEnds(bytes);
        if (mutate && random.Chance(0.2)) bytes = random.Mutate(bytes);
        var close = false;
        if (random.Chance(hostility / 8))
        {
            bytes = bytes[..random.Next(bytes.Length + 1)];
            close = true;
        }
        var cuts = new List<int>();
        for (var i = random.Next(4); i > 0 && bytes.Length > 1; i--) cuts.Add(random.Next(1, bytes.Length));
        cuts.Sort();
        return new HostileReply(bytes, cuts, close);
    }

    private static string[] SeedsFor(string command)
    {
        var verb = command.Split(' ', 2)[0].ToUpperInvariant();
        return verb switch
        {
            "EHLO" => Ehlos,
            "HELO" => Helos,
            "STARTTLS" => StartTls,
            "AUTH" => Auths,
            "MAIL" => Mails,
            "RCPT" => Rcpts,
            "DATA" => Datas,
            "." => Ends,
            "QUIT" => ["221 2.0.0 Bye", "221 mx.example.com closing connection"],
            "RSET" => ["250 2.0.0 Ok", "250 Reset OK"],
            _ => Others,
        };
    }

    private string Edit(string text)
    {
        var lines = text.Split("\r\n").ToList();
        switch (random.Next(11))
        {
            case 0:
            case 1:
                return random.Mutate(text, Tokens);
            case 2:
                return random.Chance(0.5) ? random.Pick(random.Pick(All)) : random.Pick(Odd);
            case 3:
                // Codes that change between the lines of one reply.
                if (lines.Count == 1) lines.Insert(0, random.Pick(["550-5.1.1 No such user", "250-Ok", "450-4.2.0 Later", "354-Go on"]));
                var at = random.Next(lines.Count);
                if (lines[at].Length >= 3) lines[at] = random.Pick(["250", "550", "451", "354", "221", "251"]) + lines[at][3..];
                return string.Join("\r\n", lines);
            case 4:
                // A "250-" that never ends.
                lines[^1] = lines[^1].Length > 3 ? lines[^1][..3] + "-" + lines[^1][4..] : lines[^1] + "-";
                return string.Join("\r\n", lines);
            case 5:
                // A code without text.
                return lines[^1].Length >= 3 ? lines[^1][..3] : lines[^1];
            case 6:
                // A long line: under the client's limit, or far past it (never in between, where reads decide).
                var length = random.Chance(0.5) ? random.Next(500, 3000) : random.Next(9000, 12000);
                lines[^1] += " " + new string((char)random.Next('a', 'z' + 1), length);
                return string.Join("\r\n", lines);
            case 7:
                // Many lines: under the client's limit, or far past it.
                var code = lines[0].Length >= 3 ? lines[0][..3] : "250";
                var count = random.Chance(0.5) ? random.Next(10, 60) : random.Next(150, 300);
                return string.Concat(Enumerable.Range(0, count).Select(i => $"{code}-line {i}\r\n")) + text;
            case 8:
                // An extra reply, before or after the right one.
                var extra = random.Chance(0.3) ? random.Pick(Odd) : random.Pick(random.Pick(All));
                return random.Chance(0.5) ? extra + "\r\n" + text : text + "\r\n" + extra;
            case 9:
                // Text no log line, database row or DSN should carry as it is.
                var i = random.Next(lines.Count);
                var position = Math.Min(lines[i].Length, 4 + random.Next(Math.Max(1, lines[i].Length - 3)));
                lines[i] = lines[i].Insert(position, random.Pick(["\0", "\x1b[2J", "\u0085", "\u2028", "é", "\x7f", "\t", "\r", "\ufeff", "日本"]));
                return string.Join("\r\n", lines);
            default:
                return text;
        }
    }

    /// <summary>Lines ended by bare LF, bare CR, or a mixture.</summary>
    private byte[] LineEnds(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        text = random.Next(3) switch
        {
            0 => text.Replace("\r\n", "\n", StringComparison.Ordinal),
            1 => text.Replace("\r\n", "\r", StringComparison.Ordinal),
            _ => text.Replace("\r\n", random.Chance(0.5) ? "\n\r" : "\r\r\n", StringComparison.Ordinal),
        };
        return Encoding.Latin1.GetBytes(text);
    }
}
