using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.EndToEnd;

/// <summary>A byte-level client for dialogues MailKit would never send (injection, smuggling).</summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private Stream _stream = null!;
    private readonly StringBuilder _transcript = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private string _pending = "";

    public string Transcript => _transcript.ToString();

    public static async Task<RawClient> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new RawClient();
        await client._tcp.ConnectAsync(endpoint);
        client._stream = client._tcp.GetStream();
        return client;
    }

    public async Task SendAsync(string text)
    {
        _transcript.Append("C: ").Append(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one complete reply (SMTP multi-line replies end at "NNN " lines; POP3 at the first line).</summary>
    public async Task<string> ReadReplyAsync()
    {
        var reply = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            reply.Append(line).Append('\n');
            if (line.Length < 4 || line[3] != '-') return reply.ToString();
        }
    }

    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var nl = _pending.IndexOf("\r\n", StringComparison.Ordinal);
            if (nl >= 0)
            {
                var line = _pending[..nl];
                _pending = _pending[(nl + 2)..];
                _transcript.Append("S: ").Append(line).Append('\n');
                return line;
            }
            var n = await _stream.ReadAsync(_buffer, timeout.Token);
            if (n == 0) throw new IOException("The server closed the connection. Transcript:\n" + Transcript);
            _pending += Encoding.UTF8.GetString(_buffer, 0, n);
        }
    }

    /// <summary>True when the server has closed the connection (reads return 0).</summary>
    public async Task<bool> IsClosedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { return await _stream.ReadAsync(_buffer, timeout.Token) == 0; }
        catch (IOException) { return true; }
    }

    public async Task StartTlsAsync()
    {
        _pending = "";
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("mx.ejemplo.test");
        _stream = ssl;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
