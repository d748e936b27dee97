using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Estafeta.Bench;

/// <summary>
/// The IMAP mixed workload, the same against any server: each client loops over
/// LOGIN, SELECT INBOX, FETCH of 10 headers, FETCH of 3 whole messages, STORE +FLAGS \Seen on 5,
/// APPEND of a 10 KB message, STORE +FLAGS \Deleted on it, EXPUNGE, LOGOUT.
/// The mailbox stays at its size (each loop removes what it appended).
/// </summary>
public static class ImapLoad
{
    public sealed record Options(string Host, int Port, string UserFormat, string Password, int Users, int Clients, TimeSpan Duration);

    public static byte[] Message(int i) => Encoding.ASCII.GetBytes(
        $"From: carga@bench.test\r\nTo: user@bench.test\r\nSubject: mensaje de carga {i}\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n" +
        $"Message-ID: <load-{i}-{Guid.NewGuid():N}@bench.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
        string.Concat(Enumerable.Repeat("Linea de texto de relleno para un mensaje de diez kilobytes en la prueba.\r\n", 135)));

    public static async Task PreloadAsync(Options o, int messages)
    {
        for (var u = 1; u <= o.Users; u++)
        {
            await using var c = await ImapConnection.ConnectAsync(o.Host, o.Port);
            await c.CommandAsync($"LOGIN \"{User(o, u)}\" \"{o.Password}\"");
            var (_, untagged) = await c.CommandAsync("STATUS INBOX (MESSAGES)");
            var existing = untagged.Select(l => l.Split("MESSAGES ")).Where(p => p.Length > 1).Select(p => int.Parse(p[1].TrimEnd(')'), CultureInfo.InvariantCulture)).FirstOrDefault();
            for (var i = existing; i < messages; i++) await c.CommandAsync("APPEND INBOX", Message(i));
            await c.CommandAsync("LOGOUT");
        }
    }

    private static string User(Options o, int u) => string.Format(CultureInfo.InvariantCulture, o.UserFormat, u);

    public static async Task<string> RunAsync(Options o)
    {
        long commands = 0, logins = 0, appends = 0, loops = 0;
        var stop = Stopwatch.StartNew();
        async Task Client(int id)
        {
            var random = new Random(id);
            var user = 1 + id % o.Users;
            while (stop.Elapsed < o.Duration)
            {
                await using var c = await ImapConnection.ConnectAsync(o.Host, o.Port);
                await c.CommandAsync($"LOGIN \"{User(o, user)}\" \"{o.Password}\"");
                Interlocked.Increment(ref logins);
                var (_, selected) = await c.CommandAsync("SELECT INBOX");
                var exists = selected.Select(l => l.Split(' ')).Where(p => p.Length >= 3 && p[2] == "EXISTS").Select(p => int.Parse(p[1], CultureInfo.InvariantCulture)).First();
                var from = 1 + random.Next(Math.Max(1, exists - 10));
                await c.CommandAsync($"FETCH {from}:{from + 9} (UID FLAGS BODY.PEEK[HEADER])");
                for (var i = 0; i < 3; i++) await c.CommandAsync($"FETCH {1 + random.Next(exists)} BODY.PEEK[]");
                await c.CommandAsync($"STORE {from}:{from + 4} +FLAGS.SILENT (\\Seen)");
                var (appended, _) = await c.CommandAsync("APPEND INBOX", Message(random.Next()));
                Interlocked.Increment(ref appends);
                var uid = appended.Split("APPENDUID ")[1].Split(' ')[1].TrimEnd(']');
                await c.CommandAsync($"UID STORE {uid} +FLAGS.SILENT (\\Deleted)");
                await c.CommandAsync($"UID EXPUNGE {uid}");
                await c.CommandAsync("LOGOUT");
                Interlocked.Add(ref commands, 12);
                Interlocked.Increment(ref loops);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, o.Clients).Select(Client));
        var secs = stop.Elapsed.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"commands/s {commands / secs:F0} logins/s {logins / secs:F1} appends/s {appends / secs:F1} loops {loops} seconds {secs:F1}");
    }

    /// <summary>Opens and logs in <paramref name="sessions"/> sessions, selects INBOX in each, and holds them.</summary>
    public static async Task HoldIdleAsync(Options o, int sessions, TimeSpan hold, string readyFile)
    {
        var open = new List<ImapConnection>();
        for (var i = 0; i < sessions; i++)
        {
            var c = await ImapConnection.ConnectAsync(o.Host, o.Port);
            await c.CommandAsync($"LOGIN \"{User(o, 1 + i % o.Users)}\" \"{o.Password}\"");
            await c.CommandAsync("SELECT INBOX");
            open.Add(c);
        }
        await File.WriteAllTextAsync(readyFile, "ready");
        await Task.Delay(hold);
        foreach (var c in open) await c.DisposeAsync();
    }
}
