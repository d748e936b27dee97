using System.Net.Sockets;
using System.Text;

namespace Estafeta.Bench;

/// <summary>A minimal IMAP client for load: sends a tagged command, reads until its tagged answer,
/// skipping literals by their announced length. No parsing beyond what the workload needs.</summary>
public sealed class ImapConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private NetworkStream _stream = null!;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start, _end;
    private int _tag;

    public static async Task<ImapConnection> ConnectAsync(string host, int port)
    {
        var c = new ImapConnection();
        await c._tcp.ConnectAsync(host, port);
        c._stream = c._tcp.GetStream();
        await c.ReadLineAsync(); // greeting
        return c;
    }

    /// <summary>Runs a command; returns the tagged status line and the untagged lines (literals elided).</summary>
    public async Task<(string Status, List<string> Untagged)> CommandAsync(string command, byte[]? literal = null)
    {
        var tag = "a" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (literal is null)
        {
            await WriteAsync($"{tag} {command}\r\n");
        }
        else
        {
            await WriteAsync($"{tag} {command} {{{literal.Length}+}}\r\n");
            await _stream.WriteAsync(literal);
            await WriteAsync("\r\n");
        }
        var untagged = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                if (!line.AsSpan(tag.Length + 1).StartsWith("OK")) throw new InvalidOperationException($"{command} -> {line}");
                return (line, untagged);
            }
            untagged.Add(line);
        }
    }

    private async Task WriteAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>One response line; a literal {n} at its end is read (and dropped) with the rest of the line.</summary>
    private async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            var part = await ReadRawLineAsync();
            line.Append(part);
            var open = part.LastIndexOf('{');
            if (open >= 0 && part.EndsWith('}') && int.TryParse(part.AsSpan(open + 1, part.Length - open - 2).TrimEnd('+'), out var n))
            {
                await SkipAsync(n);
                continue;
            }
            return line.ToString();
        }
    }

    private async Task<string> ReadRawLineAsync()
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var nl = span.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var text = Encoding.UTF8.GetString(span[..(nl > 0 && span[nl - 1] == '\r' ? nl - 1 : nl)]);
                _start += nl + 1;
                return text;
            }
            await FillAsync();
        }
    }

    private async Task SkipAsync(int n)
    {
        while (n > 0)
        {
            if (_start == _end) await FillAsync();
            var take = Math.Min(n, _end - _start);
            _start += take;
            n -= take;
        }
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end));
        if (read == 0) throw new IOException("server closed the connection");
        _end += read;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
