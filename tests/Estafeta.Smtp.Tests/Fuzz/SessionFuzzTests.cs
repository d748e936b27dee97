using System.Text;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>
/// Whole SMTP sessions over a real socket: a transaction made of real commands, mutated now and then, with
/// junk mixed in (bare LF, NUL, lines near and past the length limit, BDAT, which is not offered, with a
/// wrong size, commands out of order), sent one by one or pipelined. <see cref="SmtpConversation"/> checks
/// every reply; here each case also checks that nothing was logged as an error, that every stored message
/// went to local recipients unless the client had logged in (no open relay), and that the sink holds
/// exactly the messages the client saw accepted.
/// </summary>
public sealed class SessionFuzzTests
{
    private static readonly string[] Helos = ["EHLO client.example.test", "HELO client.example.test", "EHLO [192.0.2.1]", "ehlo bücher.test"];

    private static readonly string[] NonLocal =
    [
        "TO:<victim@elsewhere.test>", "TO:<@example.test:victim@elsewhere.test>", "TO:<\"victim@example.test\"@elsewhere.test>",
        "TO:<victim@example.test.elsewhere.test>", "TO:<victim@[192.0.2.9]>", "TO:<victim@EXAMPLE.TEST.>", "TO:<busy@elsewhere.test>",
        "TO:<unknown@example.test>", "TO:<busy@example.test>", "TO:<Postmaster>",
    ];

    private static readonly string[] Others =
    [
        "RSET", "NOOP", "VRFY postmaster", "VRFY", "EXPN staff", "HELP", "STARTTLS", "DATA", "QUIT", "RSET now", "DATA now",
        "MAIL FROM:<blocked@example.test>", "AUTH PLAIN", "AUTH LOGIN", "AUTH CRAM-MD5", "AUTH", "BDAT 10 LAST", "BDAT 0 LAST",
        "", " ", "\0", "NOOP\0", "MAIL", "RCPT", "X-UNKNOWN", "EHLO", "HELO",
    ];

    private static readonly string[] Tokens =
    [
        "\n", "\r", "\r\n", "\0", " ", "  ", "\t", ":", "<", ">", "@", "=", "MAIL", "RCPT", "DATA", "AUTH", "QUIT", "NOOP",
        "\r\nRCPT TO:<victim@elsewhere.test>", "\nDATA", "\r\n.\r\n", ".", "é", "\u0085", "SMTPUTF8", "SIZE=999999999",
        "BODY=BINARYMIME", "@elsewhere.test", "elsewhere.test",
    ];

    [Fact]
    public async Task Mx_sessions_of_mutated_commands_are_answered_and_stay_usable()
    {
        await using var server = new FuzzServer(Options(SmtpMode.Mx));
        await Fuzzing.RunAsync(2821, 60, r => Describe(Script(r, SmtpMode.Mx, server.Options)), random => CaseAsync(server, random, SmtpMode.Mx));
    }

    [Fact]
    public async Task Submission_sessions_with_cut_and_mutated_logins_are_answered_and_stay_usable()
    {
        await using var server = new FuzzServer(Options(SmtpMode.Submission));
        await Fuzzing.RunAsync(4954, 60, r => Describe(Script(r, SmtpMode.Submission, server.Options)), random => CaseAsync(server, random, SmtpMode.Submission));
    }

    /// <summary>A short line limit and message size so that both limits are met often; plaintext AUTH so
    /// that logins are tried without TLS.</summary>
    private static SmtpServerOptions Options(SmtpMode mode) => new()
    {
        HostName = "mx.example.test",
        Mode = mode,
        AllowPlaintextAuth = true,
        MaxCommandLineLength = 512,
        MaxMessageSize = 1024,
        MaxErrors = 15,
    };

    private static async Task CaseAsync(FuzzServer server, Random random, SmtpMode mode)
    {
        var script = Script(random, mode, server.Options);
        var before = server.Sink.Committed.Count;
        var client = await server.ConnectAsync();
        var conversation = new SmtpConversation(server, client, random);
        try
        {
            Assert.StartsWith("220 ", await client.ReadReplyAsync());
            foreach (var write in script)
            {
                if (conversation.Closed) break;
                await conversation.SendAsync(write);
            }
            await conversation.FinishAsync();
        }
        finally
        {
            if (!conversation.Closed) await client.DisposeAsync();
        }

        Assert.Empty(server.Problems());
        var stored = server.Sink.Committed.Skip(before).ToList();
        Assert.Equal(conversation.Accepted, stored.Count);
        foreach (var message in stored.Where(m => m.Session.Principal is null))
            Assert.All(message.Recipients, to => Assert.True(RelayPolicy.IsLocal(to.Address), $"relayed to {to.Address}"));
    }

    /// <summary>The writes of one session: a transaction (with a login in submission) whose commands are
    /// mutated now and then, with junk lines mixed in; consecutive commands are often pipelined in one write.</summary>
    private static List<byte[]> Script(Random random, SmtpMode mode, SmtpServerOptions options)
    {
        var lines = new List<string> { random.Pick(Helos) };
        if (mode == SmtpMode.Submission && random.Chance(0.8))
        {
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{FuzzServer.User}\0{FuzzServer.Password}"));
            lines.Add(random.Pick(["AUTH PLAIN " + plain, "AUTH PLAIN", "AUTH LOGIN", "AUTH LOGIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes(FuzzServer.User)), "auth plain ="]));
        }
        lines.Add("MAIL " + random.Pick(PathGrammarFuzzTests.ReversePaths));
        for (var i = random.Next(1, 4); i > 0; i--)
            lines.Add("RCPT " + (random.Chance(0.5) ? random.Pick(NonLocal) : random.Pick(PathGrammarFuzzTests.ForwardPaths)));
        lines.Add("DATA");
        for (var i = random.Next(0, 6); i > 0; i--) lines.Add(random.Chance(0.5) ? random.Pick(Others) : "MAIL " + random.Pick(PathGrammarFuzzTests.ReversePaths));

        var writes = new List<byte[]>();
        var group = new List<byte>();
        foreach (var line in lines)
        {
            if (random.Chance(0.15)) group.AddRange(Junk(random, options.MaxCommandLineLength));
            var text = random.Chance(0.25) ? random.Mutate(line, Tokens) : line;
            group.AddRange(Encoding.UTF8.GetBytes(text));
            group.AddRange(random.Chance(0.1) ? "\n"u8.ToArray() : "\r\n"u8.ToArray());
            if (random.Chance(0.05)) group.AddRange(random.Mutate(Encoding.UTF8.GetBytes(text + "\r\n")));
            if (random.Chance(0.6))
            {
                writes.Add([.. group]);
                group.Clear();
            }
        }
        if (group.Count > 0) writes.Add([.. group]);
        return writes;
    }

    /// <summary>Lines no client should send: near and past the length limit, BDAT with a size that does not
    /// match what follows, NUL, a bare CR, a lone ".".</summary>
    private static byte[] Junk(Random random, int limit)
    {
        var text = random.Next(7) switch
        {
            0 => "NOOP " + new string('x', limit - 5 + random.Next(-2, 3)) + "\r\n",
            1 => "MAIL FROM:<" + new string('a', limit - 25 + random.Next(-3, 4)) + "@example.test>\r\n",
            2 => new string('Z', limit * random.Next(1, 4) + random.Next(0, 3)) + "\r\n",
            3 => $"BDAT {random.Next(0, 40)}{(random.Chance(0.5) ? " LAST" : "")}\r\n{random.Word(30)}\r\n",
            4 => "NO\0OP\r\n",
            5 => ".\r\n",
            _ => "NOOP\rRSET\r\n",
        };
        return Encoding.UTF8.GetBytes(text);
    }

    private static string Describe(List<byte[]> script) => string.Join(" | ", script.Select(Fuzzing.Show));
}
