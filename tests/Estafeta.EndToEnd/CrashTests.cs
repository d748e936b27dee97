using System.Collections.Concurrent;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;

namespace Estafeta.EndToEnd;

/// <summary>
/// kill -9 during a stream of deliveries: after a restart every message that got 250 is there exactly
/// once. A message whose final dot was sent but whose reply was lost in the kill may be there too (at
/// most once): the server cannot tell the client that its reply never arrived (RFC 1047).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "estafeta-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Kill_9_during_submissions_loses_no_accepted_message_and_duplicates_none()
    {
        Assert.Equal(0, (await EstafetaProcess.RunAsync(null, "domain", "add", "ejemplo.test", "--data", _data)).ExitCode);
        Assert.Equal(0, (await EstafetaProcess.RunAsync(ServerFixture.Password + "\n", "account", "add", "ana@ejemplo.test", "--password-stdin", "--data", _data)).ExitCode);

        var server = await EstafetaProcess.StartServerAsync(_data);
        var ports = await Hosting.PortsFile.ReadAsync(_data);
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var inFlight = new ConcurrentDictionary<string, byte>();
        using var stop = new CancellationTokenSource();

        async Task Sender(int worker)
        {
            try
            {
                using var smtp = await MailClients.SmtpAsync(ports["smtp"], SecureSocketOptions.None);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = $"w{worker}-{i}";
                    inFlight[id] = 0;
                    await smtp.SendAsync(Messages.Simple("a@remoto.test", "ana@ejemplo.test", id, $"Mensaje {id}\r\n" + new string('x', 2000) + "\r\n"));
                    acknowledged[id] = 0;
                }
            }
            catch (Exception e) when (e is IOException or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpProtocolException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                // The server died under us: expected.
            }
        }

        var senders = Enumerable.Range(0, 6).Select(Sender).ToList();
        while (acknowledged.Count < 150) await Task.Delay(10);
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        stop.Cancel();
        await Task.WhenAll(senders);

        var restarted = await EstafetaProcess.StartServerAsync(_data);
        try
        {
            ports = await Hosting.PortsFile.ReadAsync(_data);
            var stored = (await MailClients.RetrieveAllAsync(ports["pop3"], "ana@ejemplo.test"))
                .Select(m => MimeMessage.Load(new MemoryStream(m))).ToList();
            var subjects = stored.Select(m => m.Subject).ToList();
            output.WriteLine($"acknowledged {acknowledged.Count}, stored {subjects.Count}, attempted {inFlight.Count}");
            foreach (var id in acknowledged.Keys)
                Assert.Equal(1, subjects.Count(s => s == id));
            Assert.Equal(subjects.Count, subjects.Distinct().Count());
            Assert.All(subjects, s => Assert.True(s is not null && inFlight.ContainsKey(s), $"{s} was never sent"));
            Assert.All(stored, m => Assert.Contains($"Mensaje {m.Subject}", m.TextBody));
            Assert.True(subjects.Count - acknowledged.Count <= 6, "at most one unacknowledged message per connection");
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }
}
