using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.EndToEnd.Outbound;

/// <summary>A minimal SMTP server on loopback that accepts everything and counts the messages by Subject (a message
/// counts once its final "." arrives, as a real server takes it).</summary>
public sealed class CountingSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public CountingSink()
    {
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _accept = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint { get; }
    public ConcurrentDictionary<string, int> Subjects { get; } = new();
    public ConcurrentQueue<string> Senders { get; } = new();
    public int Total => Subjects.Values.Sum();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
            await using var writer = new StreamWriter(client.GetStream(), Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb == "EHLO") { await writer.WriteLineAsync("250-sink\r\n250-PIPELINING\r\n250 8BITMIME"); continue; }
                if (verb == "MAIL") Senders.Enqueue(line);
                if (verb == "QUIT") { await writer.WriteLineAsync("221 bye"); return; }
                if (verb != "DATA") { await writer.WriteLineAsync("250 ok"); continue; }
                await writer.WriteLineAsync("354 go");
                string? subject = null;
                var ended = false;
                while (await reader.ReadLineAsync() is { } data)
                {
                    if (data == ".") { ended = true; break; }
                    if (subject is null && data.StartsWith("Subject: ", StringComparison.Ordinal)) subject = data[9..];
                }
                // Only the final "." hands a message over: content cut off by a closed connection was never taken.
                if (!ended) return;
                Subjects.AddOrUpdate(subject ?? "", 1, (_, n) => n + 1);
                await writer.WriteLineAsync("250 2.0.0 ok");
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept;
    }
}
