using System.Globalization;
using System.Text;
using Estafeta.Imap.Tests.Support;
using Estafeta.Testing;

namespace Estafeta.Imap.Tests.Fuzz;

/// <summary>
/// Random runs of mutated commands over a real connection, starting not authenticated, authenticated or with INBOX
/// selected. Every tagged command gets exactly one tagged OK, NO or BAD with its tag; "* BYE" comes only for LOGOUT
/// or the documented limit on BAD commands in a row (the connection then closes); otherwise NOOP still answers OK
/// afterwards. No response line carries a CR or NUL of the input, and nothing is logged as an error.
/// </summary>
public sealed class SessionFuzzTests
{
    private const int MaxCommandSize = 16 * 1024;

    private static readonly string[] PhaseNames = ["not authenticated", "authenticated", "selected"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Mutated_commands_each_get_one_tagged_answer_and_leave_the_session_usable(int phase)
    {
        var completed = 0;
        await Fuzzing.RunAsync(9051 + phase, 30, r => Describe(phase, Script(r, phase), Damaged(r)), async random =>
        {
            var script = Script(random, phase);
            completed += await RunAsync(phase, script, Damaged(random));
        });
        Assert.True(completed >= Fuzzing.Iterations(30) / 2, $"only {completed} commands answered OK");
    }

    [Fact]
    public async Task Literals_over_the_limit_are_refused_and_the_session_goes_on()
    {
        await Fuzzing.RunAsync(7889, 20, r => Describe(2, Oversized(r), null), async random =>
        {
            await RunAsync(2, Oversized(random), null);
        });
    }

    /// <summary>One to six commands, mostly of the phase the run starts in, mostly mutated.</summary>
    private static List<FuzzCommand> Script(Random random, int phase)
    {
        var script = new List<FuzzCommand>();
        var count = 1 + random.Next(6);
        for (var i = 0; i < count; i++)
        {
            var table = random.Chance(0.8) ? Table(phase) : random.Pick([FuzzCommands.NotAuthenticated, FuzzCommands.Authenticated, FuzzCommands.Selected]);
            var command = random.Pick(table);
            script.Add(random.Chance(0.8) ? FuzzCommands.Mutate(random, command) : command);
        }
        return script;
    }

    /// <summary>A command whose literal is larger than the limit: synchronizing ones are refused before the client
    /// sends them, non-synchronizing ones read and dropped.</summary>
    private static List<FuzzCommand> Oversized(Random random)
    {
        var size = MaxCommandSize + 1 + random.Next(MaxCommandSize);
        var literal = new FuzzLiteral(Encoding.ASCII.GetBytes(new string('x', size)), random.Chance(0.5));
        var command = random.Pick([
            FuzzCommands.Of("LOGIN ", literal, " secret"),
            FuzzCommands.Of("SEARCH TEXT ", literal),
            FuzzCommands.Of("CREATE ", literal),
            FuzzCommands.Of("UID COPY 1:* ", literal),
        ]);
        return [command, random.Pick(FuzzCommands.Selected)];
    }

    /// <summary>Sometimes a fourth message in INBOX: one of the sample messages with its octets mutated, so that
    /// FETCH, SEARCH and SORT also meet broken MIME.</summary>
    private static byte[]? Damaged(Random random) =>
        random.Chance(0.5) ? random.Mutate(Messages.File(random.Pick(["nested.eml", "rfc822.eml", "campaign.eml", "eightbit.eml"]))) : null;

    private static FuzzCommand[] Table(int phase) => phase switch
    {
        0 => FuzzCommands.NotAuthenticated,
        1 => FuzzCommands.Authenticated,
        _ => [.. FuzzCommands.Selected, .. FuzzCommands.Authenticated],
    };

    private static string Describe(int phase, List<FuzzCommand> script, byte[]? damaged) =>
        PhaseNames[phase] + ": " + string.Join(" | ", script.Select((c, i) => $"F{i + 1} {c}"))
        + (damaged is null ? "" : " with message 4: " + Fuzzing.Show(damaged));

    /// <summary>Runs the script on a fresh server; returns how many of its commands were answered OK.</summary>
    private static async Task<int> RunAsync(int phase, List<FuzzCommand> script, byte[]? damaged)
    {
        await using var server = ImapHarness.Start(o => o with { Certificate = null, MaxLineLength = 8192, MaxCommandSize = MaxCommandSize });
        server.Alice.Deliver("INBOX", Messages.Simple());
        server.Alice.Deliver("INBOX", Messages.File("nested.eml"), keywords: ["$Label1"]);
        server.Alice.Deliver("INBOX", Messages.File("rfc822.eml"));
        if (damaged is { Length: > 0 }) server.Alice.Deliver("INBOX", damaged);
        lock (server.Alice.Lock) server.Alice.CreateLocked("Archive");

        var closed = false;
        var completed = 0;
        await using (var client = phase switch { 0 => await server.ConnectAsync(), 1 => await server.LoginAsync(), _ => await server.SelectInboxAsync() })
        {
            for (var i = 0; i < script.Count && !closed; i++)
            {
                var (ok, ended) = await SendAsync(client, $"F{i + 1}", script[i]);
                closed = ended;
                if (ok) completed++;
            }
            if (!closed)
            {
                var noop = await ReadReplyAsync(client, "Z1", sent: client.SendAsync("Z1 NOOP\r\n"));
                Assert.True(noop.Tagged == "Z1 OK NOOP completed" || noop.Tagged.StartsWith("Z1 OK ", StringComparison.Ordinal), noop.Tagged);
                Assert.Null(noop.Bye);
            }
        }
        var errors = server.Log.Lines.Where(line => line.StartsWith("Error", StringComparison.Ordinal)
            || line.StartsWith("Critical", StringComparison.Ordinal) || line.Contains("Exception:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return completed;
    }

    /// <summary>Sends one command, its literals when the server asks for them (or at once when non-synchronizing), and
    /// reads its answer: whether it was OK, and whether the session ended, which only LOGOUT and the limit on BAD commands
    /// may do.</summary>
    private static async Task<(bool Ok, bool Ended)> SendAsync(ImapTestClient client, string tag, FuzzCommand command)
    {
        var lines = command.Lines.ToList();
        // A last line ending in "}" would announce a literal the command does not have.
        if (lines[^1].Text.EndsWith('}')) lines[^1] = (lines[^1].Text + " x", null);

        for (var i = 0; i < lines.Count; i++)
        {
            var (text, literal) = lines[i];
            var line = new List<byte>();
            if (i == 0) line.AddRange(Encoding.ASCII.GetBytes(tag + " "));
            line.AddRange(Encoding.UTF8.GetBytes(text));
            if (literal is not null) line.AddRange(Encoding.ASCII.GetBytes(literal.Marker()));
            line.AddRange("\r\n"u8);
            await client.SendAsync([.. line]);
            if (literal is null) break;
            if (literal.Synchronizing)
            {
                var answer = await ReadReplyAsync(client, tag, untilContinuation: true);
                if (answer.Tagged.Length > 0)
                {
                    // Refused before the literal was sent: the command is over.
                    Assert.True(literal.Bytes.Length > MaxCommandSize - 1024 || answer.Tagged.Contains("BAD", StringComparison.Ordinal), answer.Tagged);
                    return (false, await EndedAsync(client, tag, answer, command));
                }
            }
            await client.SendAsync(literal.Bytes);
        }
        var reply = await ReadReplyAsync(client, tag);
        if (command.Lines.Any(l => l.Literal is { } big && big.Bytes.Length > MaxCommandSize))
            Assert.Contains("[TOOBIG]", reply.Tagged, StringComparison.Ordinal);
        return (reply.Tagged.StartsWith(tag + " OK ", StringComparison.Ordinal), await EndedAsync(client, tag, reply, command));
    }

    private static async Task<bool> EndedAsync(ImapTestClient client, string tag, Reply reply, FuzzCommand command)
    {
        Assert.Matches($"^{tag} (OK|NO|BAD) ", reply.Tagged);
        if (reply.Bye is null) return false;
        var logout = command.Lines[0].Text.Trim().Equals("LOGOUT", StringComparison.OrdinalIgnoreCase) && reply.Tagged.StartsWith(tag + " OK", StringComparison.Ordinal);
        var tooManyBad = reply.Bye.StartsWith("* BYE Too many invalid commands", StringComparison.Ordinal);
        Assert.True(logout || tooManyBad, $"{reply.Bye} after {command}");
        Assert.Null(await client.TryReadLineAsync());
        return true;
    }

    private sealed record Reply(string Tagged, string? Bye);

    /// <summary>Reads response lines (with their literals) up to the tagged one, or with <paramref name="untilContinuation"/>
    /// up to a continuation request (then Tagged is empty). A continuation request not waited for (IDLE, AUTHENTICATE)
    /// is answered with DONE. Every line is checked: no CR or NUL inside, no tag but ours.</summary>
    private static async Task<Reply> ReadReplyAsync(ImapTestClient client, string tag, bool untilContinuation = false, Task? sent = null)
    {
        if (sent is not null) await sent;
        string? bye = null;
        var continuations = 0;
        while (true)
        {
            var line = await client.ReadLineAsync();
            Assert.DoesNotContain('\r', line);
            Assert.DoesNotContain('\0', line);
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                Assert.Null(await ReadLiteralAsync(client, line));
                return new Reply(line, bye);
            }
            if (line.StartsWith('+'))
            {
                if (untilContinuation) return new Reply("", bye);
                Assert.True(++continuations <= 2, "continuation requests without end: " + line);
                await client.SendAsync("DONE\r\n");
                continue;
            }
            Assert.True(line.StartsWith("* ", StringComparison.Ordinal), "a line neither untagged nor ours: " + line);
            if (line.StartsWith("* BYE", StringComparison.Ordinal)) bye = line;
            // The rest of a response after a literal is a line of its own, checked the same way.
            while (await ReadLiteralAsync(client, line) is not null)
            {
                line = await client.ReadLineAsync();
                Assert.DoesNotContain('\r', line);
                Assert.DoesNotContain('\0', line);
            }
        }
    }

    /// <summary>The octets of the literal the line ends with, or null.</summary>
    private static async Task<byte[]?> ReadLiteralAsync(ImapTestClient client, string line)
    {
        var brace = line.LastIndexOf('{');
        if (!line.EndsWith('}') || brace < 0) return null;
        var digits = line[(brace + 1)..^1];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var length)) return null;
        return await client.ReadBytesAsync(length);
    }
}
