using System.Net;
using System.Net.Sockets;
using System.Text;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>What a hostile server sends for one command: octets written in pieces (each its own write, so
/// that a reply often arrives cut across TCP segments), then perhaps the end of the connection.</summary>
internal sealed record HostileReply(byte[] Bytes, IReadOnlyList<int> Cuts, bool CloseAfter);

/// <summary>
/// A receiving server on loopback for the fuzz tests of <see cref="SmtpDelivery"/>: one session per case, each
/// answered by a function of the command line (null for the greeting). Every line the client sends is kept:
/// commands (each answered), lines of a message body (lines starting with <see cref="BodyMark"/>, not
/// answered) and, after a 220 to STARTTLS, the handshake is drained without being read as lines.
/// <para>
/// When what was sent so far leaves the client waiting for the rest of a reply while the server waits for a
/// command (a "250-" never ended, a reply cut short, lines ended by a bare CR), the server ends its side of
/// the connection (a half close, so that nothing already sent is lost) once no line has come for a moment:
/// the client then meets the end of the connection instead of its command timeout. That moment only saves
/// time; the checks hold whether it comes early or late.
/// </para>
/// </summary>
internal sealed class HostileSmtpServer : IAsyncDisposable
{
    public const string BodyMark = "Fuzz-Body:";

    private readonly TcpListener _listener;

    private HostileSmtpServer(TcpListener listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
    }

    public IPEndPoint EndPoint { get; }

    public static HostileSmtpServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new HostileSmtpServer(listener);
    }

    /// <summary>Accepts the next connection and serves it to the end.</summary>
    public async Task<HostileSession> ServeAsync(Func<string?, HostileReply> answer)
    {
        var socket = await _listener.AcceptSocketAsync();
        var session = new HostileSession(socket, answer);
        await session.RunAsync();
        return session;
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}

internal sealed class HostileSession(Socket socket, Func<string?, HostileReply> answer)
{
    private readonly List<byte> _sent = [];
    private readonly List<string> _transcript = [];
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;
    private Task<int>? _pending;
    private bool _shut;

    /// <summary>The command lines received, in order; command <c>i</c> is answered by reply <c>i + 1</c>.</summary>
    public List<string> Commands { get; } = [];

    /// <summary>For each body line received, how many commands had come before it.</summary>
    public List<int> BodyLines { get; } = [];

    /// <summary>Every octet the server sent, as the client's replies.</summary>
    public ReplyStream Replies => ReplyStream.Parse(_sent.ToArray());

    public string Transcript => string.Join("\n", _transcript);

    public async Task RunAsync()
    {
        using var _ = socket;
        socket.NoDelay = true;
        await SendAsync(answer(null));
        while (true)
        {
            var line = await ReadLineAsync(impatient: Waiting());
            if (line is null) break;
            var text = Encoding.UTF8.GetString(line.AsSpan(0, line.Length > 0 && line[^1] == '\r' ? line.Length - 1 : line.Length));
            _transcript.Add("C: " + Fuzzing.Show(text));
            if (text.StartsWith(HostileSmtpServer.BodyMark, StringComparison.Ordinal))
            {
                BodyLines.Add(Commands.Count);
                continue;
            }
            Commands.Add(text);
            if (_shut) continue;
            await SendAsync(answer(text));
            if (StartedTls())
            {
                await DrainAsync();
                break;
            }
        }
        _transcript.Add("C: (end)");
    }

    /// <summary>Whether the client may wait for a reply that has not been sent in full (or for more of a line it may
    /// take, 4096 octets or longer).</summary>
    private bool Waiting()
    {
        if (_shut) return false;
        var replies = Replies;
        return replies.End is ReplyStream.Kind.Missing or ReplyStream.Kind.Unknown && replies.Count < Commands.Count + 1;
    }

    /// <summary>Whether a STARTTLS was answered 220 as the client reads the replies: from then on it speaks TLS,
    /// which this server does not; it ends its side and lets the handshake fail.</summary>
    private bool StartedTls()
    {
        var replies = Replies;
        for (var i = 0; i < Commands.Count; i++)
            if (Commands[i].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase) && replies[i + 1].Is(220)) return true;
        return false;
    }

    private async Task DrainAsync()
    {
        Shut();
        while (await ReadAsync() > 0) _end = _start = 0;
    }

    private async Task SendAsync(HostileReply reply)
    {
        if (_shut) return;
        var from = 0;
        foreach (var cut in reply.Cuts.Append(reply.Bytes.Length))
        {
            if (cut <= from) continue;
            var piece = reply.Bytes.AsMemory(from, cut - from);
            try
            {
                var n = await socket.SendAsync(piece, SocketFlags.None);
                _sent.AddRange(piece[..n].ToArray());
                _transcript.Add("S: " + Fuzzing.Show(piece[..n].ToArray()));
            }
            catch (SocketException)
            {
                // The client is gone: what it did not get was never sent.
                _transcript.Add("S: (client gone)");
                Shut();
                return;
            }
            from = cut;
        }
        if (reply.CloseAfter) Shut();
    }

    private void Shut()
    {
        if (_shut) return;
        _shut = true;
        _transcript.Add("S: (end)");
        try { socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
    }

    /// <summary>The next line up to its LF (the last one may lack it), or null at the end of the connection.
    /// <paramref name="impatient"/>: when nothing comes at once, end the server's side first.</summary>
    private async Task<byte[]?> ReadLineAsync(bool impatient)
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = _buffer[_start..lf];
                _start = lf + 1;
                return line;
            }
            if (impatient && _pending is null && socket.Available == 0)
            {
                var read = Next();
                // Not a synchronisation: a fallback for a session where both sides wait, so that it ends soon.
                if (await Task.WhenAny(read, Task.Delay(30)) != read) Shut();
            }
            if (await ReadAsync() == 0)
            {
                if (_end == _start) return null;
                var rest = _buffer[_start.._end];
                _start = _end;
                return rest;
            }
        }
    }

    private Task<int> Next()
    {
        if (_pending is not null) return _pending;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        return _pending = socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).AsTask();
    }

    private async Task<int> ReadAsync()
    {
        int n;
        try { n = await Next(); }
        catch (SocketException) { n = 0; }
        finally { _pending = null; }
        _end += n;
        return n;
    }
}
