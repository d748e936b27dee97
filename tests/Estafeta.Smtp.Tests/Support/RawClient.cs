using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.Smtp.Tests.Support;

/// <summary>A byte-exact SMTP client for dialogues: sends what it is given, reads replies line by line.
/// Every read gives up after <see cref="Patience"/> and reports what was seen so far.</summary>
public sealed class RawClient : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly List<byte> _buffer = [];
    private readonly StringBuilder _transcript = new();

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await tcp.ConnectAsync(endPoint);
        return new RawClient(tcp);
    }

    public string Transcript => _transcript.ToString();

    /// <summary>Bytes that arrived and were not read yet (in our buffer or the socket's).</summary>
    public int Pending => _buffer.Count + _tcp.Client.Available;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        _transcript.Append("C: ").Append(Encoding.UTF8.GetString(bytes)).Append('\n');
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one command line and checks the reply starts with <paramref name="expected"/>.</summary>
    public async Task<string> CommandAsync(string line, string expected)
    {
        await SendAsync(line + "\r\n");
        return await ExpectAsync(expected);
    }

    /// <summary>Reads one whole reply (all its lines, joined by "\n").</summary>
    public async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new Xunit.Sdk.XunitException($"The server closed the connection in the middle of a reply.\n{Transcript}");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') return string.Join('\n', lines);
        }
    }

    public async Task<string> ExpectAsync(string expected)
    {
        var reply = await ReadReplyAsync();
        if (!reply.StartsWith(expected, StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"Expected a reply starting with \"{expected}\" but got \"{reply}\".\n{Transcript}");
        return reply;
    }

    /// <summary>True when the server closed the connection (no more bytes will come).</summary>
    public async Task<bool> IsClosedAsync()
    {
        try
        {
            return await ReadLineAsync() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Reads a line without its CRLF; null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            var lf = _buffer.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _buffer.RemoveRange(0, lf + 1);
                _transcript.Append("S: ").Append(line).Append('\n');
                return line;
            }
            if (await FillAsync() == 0) return null;
        }
    }

    /// <summary>One read from the network: whatever the server's last write delivered.</summary>
    public async Task<int> FillAsync()
    {
        var chunk = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Patience);
        int n;
        try
        {
            n = await _stream.ReadAsync(chunk, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No answer from the server within {Patience}.\n{Transcript}");
        }
        _buffer.AddRange(chunk.AsSpan(0, n));
        return n;
    }

    /// <summary>Switches to TLS (after the server's 220 to STARTTLS), trusting any certificate.</summary>
    public async Task StartTlsAsync()
    {
        if (_buffer.Count > 0) throw new InvalidOperationException("Unread plaintext before the TLS handshake.");
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(Patience);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = TestServer.HostName,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
        _stream = ssl;
        _transcript.Append("(TLS)\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
