using System.Text;
using Estafeta.Net;
using Estafeta.Pop3.Tests.Support;
using Estafeta.Testing;

namespace Estafeta.Pop3.Tests.Fuzz;

/// <summary>
/// Whole POP3 sessions over a real socket: USER/PASS or AUTH PLAIN, then the TRANSACTION commands with
/// mutated arguments, junk lines (bare LF, NUL, lines near and past the limit) and commands in the wrong
/// state, one by one or pipelined. Every line gets one "+OK" or "-ERR" status line (or the "+ " of a SASL
/// exchange), in order; multi-line replies end with "."; RETR and TOP give the stored message; the session
/// stays usable unless it says it closes (QUIT, or "-ERR Too many errors" at MaxErrors counted errors);
/// nothing is logged as an error.
/// </summary>
public sealed class SessionFuzzTests
{
    private const int MaxErrors = 12;

    [Fact]
    public async Task Sessions_of_mutated_commands_are_answered_in_order_and_stay_usable()
    {
        var throttle = new LoginThrottle(TimeProvider.System, maxFailures: int.MaxValue, firstDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero);
        await using var server = Pop3Harness.Start(o => o with { MaxErrors = MaxErrors }, throttle: throttle);
        await Fuzzing.RunAsync(1939, 80, r => Describe(Script(r).Writes), async random =>
        {
            // A fresh account per case, so that deletions committed by one case do not change the next.
            var (login, script) = Script(random);
            var messages = Enumerable.Range(0, random.Next(0, 5)).Select(_ => CommandGrammarFuzzTests.StoredMessage(random)).ToList();
            var account = server.Backend.AddAccount(login, "secret", messages);

            var client = await server.ConnectAsync();
            var conversation = new Pop3Conversation(client, messages, MaxErrors, random);
            try
            {
                Assert.StartsWith("+OK ", client.Greeting);
                foreach (var write in script)
                {
                    if (conversation.Closed) break;
                    await conversation.SendAsync(write);
                }
                await conversation.FinishAsync();
            }
            finally
            {
                await client.DisposeAsync();
            }

            // The maildrop lock is released however the session ended.
            await account.Released.WaitAsync(Pop3TestClient.ReadTimeout);
            Assert.DoesNotContain(server.Log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        });
    }

    /// <summary>A login and a run of commands, mutated now and then, with junk between; consecutive lines
    /// are often pipelined in one write (RFC 2449 PIPELINING).</summary>
    private static (string Login, List<byte[]> Writes) Script(Random random)
    {
        var login = $"user{random.Next(1_000_000)}";
        var lines = new List<string>();
        if (random.Chance(0.2)) lines.Add(random.Pick(["CAPA", "STLS", "AUTH", "STAT"]));
        lines.AddRange(random.Next(4) switch
        {
            0 => ["AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{login}\0secret"))],
            1 => ["AUTH PLAIN", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}\0{login}\0secret"))],
            2 => [$"USER {login}", "PASS wrong", $"USER {login}", "PASS secret"],
            _ => [$"USER {login}", "PASS secret"],
        });
        for (var i = random.Next(2, 14); i > 0; i--) lines.Add(random.Pick(CommandGrammarFuzzTests.Commands));

        var writes = new List<byte[]>();
        var group = new List<byte>();
        foreach (var line in lines)
        {
            if (random.Chance(0.1)) group.AddRange(Junk(random));
            var text = random.Chance(0.25) ? random.Mutate(line, CommandGrammarFuzzTests.Tokens) : line;
            group.AddRange(Encoding.UTF8.GetBytes(text));
            group.AddRange(random.Chance(0.1) ? "\n"u8.ToArray() : "\r\n"u8.ToArray());
            if (random.Chance(0.6))
            {
                writes.Add([.. group]);
                group.Clear();
            }
        }
        if (group.Count > 0) writes.Add([.. group]);
        return (login, writes);
    }

    private static byte[] Junk(Random random) => Encoding.UTF8.GetBytes(random.Next(6) switch
    {
        0 => "NOOP " + new string('x', 512 - 5 + random.Next(-2, 3)) + "\r\n",
        1 => new string('Z', 512 * random.Next(1, 4)) + "\r\n",
        2 => "\0\r\n",
        3 => "\r\n",
        4 => "RETR 1\rLIST\r\n",
        _ => ".\r\n",
    });

    private static string Describe(List<byte[]> script) => string.Join(" | ", script.Select(Fuzzing.Show));
}
