using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.Imap.Tests.Support;

/// <summary>The server's answer to one command: the untagged and continuation lines (literals inline, as text) and the
/// tagged completion line.</summary>
public sealed record ImapReply(IReadOnlyList<string> Untagged, string Tagged)
{
    public string All => string.Join("\r\n", [.. Untagged, Tagged]);
}

/// <summary>A raw IMAP client over a real socket: sends exact bytes and reads exact responses, literals included.
/// Reads give up after <see cref="ReadTimeout"/> so that a wrong server fails the test instead of hanging it.</summary>
public sealed class ImapTestClient : IAsyncDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;
    private int _tag;

    private ImapTestClient(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    public string Greeting { get; private set; } = "";

    public static async Task<ImapTestClient> ConnectAsync(IPEndPoint endPoint, bool implicitTls = false)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        var client = new ImapTestClient(socket, new NetworkStream(socket, ownsSocket: true));
        if (implicitTls) await client.HandshakeAsync();
        client.Greeting = await client.ReadLineAsync();
        return client;
    }

    public string NextTag() => "A" + (++_tag).ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    public Task SendAsync(string raw) => SendAsync(Encoding.UTF8.GetBytes(raw));

    public async Task SendAsync(byte[] raw)
    {
        await _stream.WriteAsync(raw);
        await _stream.FlushAsync();
    }

    /// <summary>Sends "tag command" and reads everything up to the tagged completion.</summary>
    public async Task<ImapReply> CommandAsync(string command)
    {
        var tag = NextTag();
        await SendAsync(tag + " " + command + "\r\n");
        return await ReadReplyAsync(tag);
    }

    public async Task<ImapReply> ReadReplyAsync(string tag)
    {
        var untagged = new List<string>();
        while (true)
        {
            var line = await ReadResponseAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal)) return new ImapReply(untagged, line);
            untagged.Add(line);
        }
    }

    /// <summary>One response line with any literals it contains read in (as UTF-8 text).</summary>
    public async Task<string> ReadResponseAsync()
    {
        var text = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            text.Append(line);
            var brace = line.LastIndexOf('{');
            if (!line.EndsWith('}') || brace < 0 || !long.TryParse(line.AsSpan(brace + 1, line.Length - brace - 2), out var length)) return text.ToString();
            text.Append("\r\n").Append(Encoding.UTF8.GetString(await ReadBytesAsync((int)length)));
        }
    }

    public void AssertOk(ImapReply reply) => Assert.True(reply.Tagged.Split(' ')[1] == "OK", reply.All);

    public async Task<string> ReadLineAsync() =>
        await TryReadLineAsync() ?? throw new EndOfStreamException("The server closed the connection.");

    public async Task<string?> TryReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                if (lf == _start || _buffer[lf - 1] != '\r') throw new InvalidDataException("The server ended a line with a bare LF.");
                var line = Encoding.UTF8.GetString(_buffer, _start, lf - 1 - _start);
                _start = lf + 1;
                return line;
            }
            if (!await FillAsync(timeout.Token)) return null;
        }
    }

    public async Task<byte[]> ReadBytesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (_start == _end && !await FillAsync(timeout.Token)) throw new EndOfStreamException("The server closed the connection inside a literal.");
            var take = Math.Min(count - filled, _end - _start);
            Array.Copy(_buffer, _start, result, filled, take);
            _start += take;
            filled += take;
        }
        return result;
    }

    /// <summary>Reads to the end and fails unless the server closes the connection with nothing more to say.</summary>
    public async Task AssertClosedAsync() => Assert.Null(await TryReadLineAsync());

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

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidDataException("The server sent a line longer than 256 KiB.");
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        }
        catch (IOException)
        {
            read = 0;
        }
        if (read == 0) return false;
        _end += read;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
