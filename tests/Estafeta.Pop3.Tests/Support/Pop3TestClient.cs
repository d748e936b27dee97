using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.Pop3.Tests.Support;

/// <summary>A raw POP3 client over a real socket: sends exact bytes and reads exact replies. Every read
/// gives up after <see cref="ReadTimeout"/> so that a wrong server fails the test instead of hanging it.</summary>
public sealed class Pop3TestClient : IAsyncDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;

    private Pop3TestClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    public string Greeting { get; private set; } = "";

    public static async Task<Pop3TestClient> ConnectAsync(IPEndPoint endPoint, bool implicitTls = false)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        var client = new Pop3TestClient(socket, new NetworkStream(socket, ownsSocket: true));
        if (implicitTls) await client.HandshakeAsync();
        client.Greeting = await client.ReadLineAsync();
        return client;
    }

    public Task SendAsync(string raw) => SendAsync(Encoding.UTF8.GetBytes(raw));

    public async Task SendAsync(byte[] raw)
    {
        await _stream.WriteAsync(raw);
        await _stream.FlushAsync();
    }

    public Task SendLineAsync(string line) => SendAsync(line + "\r\n");

    /// <summary>Sends one command and returns the status line of its reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadLineAsync();
    }

    /// <summary>Sends one command and returns the status line and the lines of a multi-line reply,
    /// still dot-stuffed, without the terminating ".".</summary>
    public async Task<(string Status, List<string> Lines)> MultiLineCommandAsync(string line)
    {
        var status = await CommandAsync(line);
        if (!status.StartsWith("+OK", StringComparison.Ordinal)) return (status, []);
        return (status, await ReadLinesUntilDotAsync());
    }

    public async Task<List<string>> ReadLinesUntilDotAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is var line && line != ".") lines.Add(line);
        return lines;
    }

    /// <summary>The exact bytes of a multi-line body, through the terminating ".\r\n".</summary>
    public async Task<byte[]> ReadDotTerminatedAsync()
    {
        var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineBytesAsync() ?? throw new EndOfStreamException("The server closed the connection inside a multi-line reply.");
            body.Write(line);
            body.Write("\r\n"u8);
            if (line is [(byte)'.']) return body.ToArray();
        }
    }

    public async Task LoginAsync(string user, string password)
    {
        Assert.StartsWith("+OK", await CommandAsync("USER " + user));
        Assert.StartsWith("+OK", await CommandAsync("PASS " + password));
    }

    public async Task<string> ReadLineAsync() =>
        await TryReadLineAsync() ?? throw new EndOfStreamException("The server closed the connection.");

    public async Task<string?> TryReadLineAsync() =>
        await ReadLineBytesAsync() is { } line ? Encoding.UTF8.GetString(line) : null;

    /// <summary>Reads to the end and fails unless the server closes the connection with nothing more to say.</summary>
    public async Task AssertClosedAsync()
    {
        var rest = await TryReadLineAsync();
        Assert.Null(rest);
    }

    /// <summary>True when the server has sent bytes that were not read yet.</summary>
    public bool HasUnreadData => _start < _end || _socket.Available > 0;

    /// <summary>The client side of STLS: a TLS handshake that accepts the test certificate.</summary>
    public async Task HandshakeAsync()
    {
        Assert.Equal(_start, _end);
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        _stream = ssl;
    }

    private async Task<byte[]?> ReadLineBytesAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                if (lf == _start || _buffer[lf - 1] != '\r')
                    throw new InvalidDataException("The server ended a line with a bare LF.");
                var line = _buffer.AsSpan(_start, lf - 1 - _start).ToArray();
                _start = lf + 1;
                return line;
            }
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new InvalidDataException("The server sent a line longer than 64 KiB.");
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
            }
            catch (IOException)
            {
                read = 0;
            }
            if (read == 0)
            {
                if (_end > _start) throw new EndOfStreamException("The server closed the connection in the middle of a line.");
                return null;
            }
            _end += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
