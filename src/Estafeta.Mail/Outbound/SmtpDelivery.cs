using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// One SMTP session with a receiving server (RFC 5321): connect to one address, EHLO (HELO when refused), STARTTLS
/// (RFC 3207; opportunistic, or required by a route or an MTA-STS policy), AUTH PLAIN/LOGIN for smart hosts
/// (RFC 4954), then any number of messages. Each message is one transaction: MAIL, RCPT... and DATA written together
/// when the server offers PIPELINING (RFC 2920), the stored bytes dot-stuffed as they are (they were DKIM-signed when
/// queued, so nothing may change them), with SIZE, BODY=8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531) and the RFC 3461
/// parameters (NOTIFY, ORCPT as it was given at submission, RET, ENVID) where the server offers them. Each
/// recipient's answer is kept, so one refused recipient does not stop the others.
/// <para>
/// Written here rather than through MailKit's SmtpClient: MailKit needs a parsed MimeMessage (the stored bytes were
/// parsed and written out again for every delivery, most of the MTA's processor time), cannot send the end of DATA
/// apart from the content (<see cref="SendAsync"/> overlaps everything but that with the previous message's commit),
/// and always writes ORCPT=rfc822;&lt;recipient&gt; instead of the ORCPT the message was submitted with.
/// </para>
/// </summary>
public sealed class SmtpDelivery : IAsyncDisposable
{
    private const int MaxReplyLine = 4096;
    private const int MaxReplyLines = 100;

    private readonly Socket _socket;
    private readonly TimeSpan _commandTimeout;
    private readonly byte[] _in = new byte[8192];
    private readonly ArrayBufferWriter<byte> _out = new(16 * 1024);
    private Stream _stream;
    private int _inStart;
    private int _inEnd;
    private bool _broken;

    private SmtpDelivery(Socket socket, DeliveryHost host, TimeSpan commandTimeout)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _commandTimeout = commandTimeout;
        Host = host;
    }

    public DeliveryHost Host { get; }

    /// <summary>"none", or the protocol and cipher suite of the session.</summary>
    public string Tls { get; private set; } = "none";

    public bool IsEncrypted => _stream is SslStream;
    public bool SupportsDsn => _capabilities.Dsn;
    public bool IsConnected => !_broken && _socket.Connected;
    public int MessagesSent { get; private set; }

    private Capabilities _capabilities = new();

    public static async Task<SmtpDelivery> ConnectAsync(
        DeliveryHost host, TlsRequirement tls, string heloName, NetworkCredential? auth, TimeSpan connectTimeout, TimeSpan commandTimeout, CancellationToken ct)
    {
        var socket = new Socket(host.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(connectTimeout);
            try { await socket.ConnectAsync(new IPEndPoint(host.Address, host.Port), timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                socket.Dispose();
                throw new DeliveryConnectException(SmtpAnswer.Temporary("4.4.1", $"connect to {host} timed out"));
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new DeliveryConnectException(SmtpAnswer.Temporary("4.4.1", $"connect to {host}: {e.Message}"), null, e);
            }
        }

        var session = new SmtpDelivery(socket, host, commandTimeout);
        try
        {
            await session.OpenAsync(tls, heloName, auth, ct).ConfigureAwait(false);
            return session;
        }
        catch (DeliveryConnectException)
        {
            await session.CloseAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or ObjectDisposedException
                                      or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await session.CloseAsync().ConfigureAwait(false);
            var what = e is OperationCanceledException ? "timed out" : e.Message;
            throw new DeliveryConnectException(SmtpAnswer.Temporary("4.4.1", $"session with {host}: {what}"), null, e);
        }
        catch
        {
            await session.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Greeting, EHLO, STARTTLS and AUTH; a refusal on the way is a <see cref="DeliveryConnectException"/>.</summary>
    private async Task OpenAsync(TlsRequirement tls, string heloName, NetworkCredential? auth, CancellationToken ct)
    {
        var greeting = await ReadReplyAsync(ct).ConfigureAwait(false);
        if (greeting.Code != 220) throw new DeliveryConnectException(Refusal(greeting));
        await HelloAsync(heloName, ct).ConfigureAwait(false);

        if (_capabilities.StartTls)
        {
            var ready = await CommandAsync("STARTTLS", ct).ConfigureAwait(false);
            if (ready.Code == 220)
            {
                await StartTlsAsync(tls, ct).ConfigureAwait(false);
                await HelloAsync(heloName, ct).ConfigureAwait(false);
            }
            else if (tls != TlsRequirement.Opportunistic)
            {
                throw new DeliveryConnectException(
                    SmtpAnswer.Temporary("4.7.10", $"{Host} refused STARTTLS ({ready.Answer()}) and TLS is required"), "starttls-not-supported");
            }
        }
        else if (tls != TlsRequirement.Opportunistic)
        {
            throw new DeliveryConnectException(SmtpAnswer.Temporary("4.7.10", $"{Host} does not offer STARTTLS and TLS is required"), "starttls-not-supported");
        }

        if (auth is not null) await AuthenticateAsync(auth, ct).ConfigureAwait(false);
    }

    private async Task HelloAsync(string heloName, CancellationToken ct)
    {
        var ehlo = await CommandAsync("EHLO " + heloName, ct).ConfigureAwait(false);
        if (ehlo.Code == 250)
        {
            _capabilities = Capabilities.From(ehlo.Lines);
            return;
        }
        if (ehlo.Code == 421) throw new DeliveryConnectException(ehlo.Answer());
        var helo = await CommandAsync("HELO " + heloName, ct).ConfigureAwait(false);
        if (helo.Code != 250) throw new DeliveryConnectException(Refusal(helo));
        _capabilities = new Capabilities();
    }

    private async Task StartTlsAsync(TlsRequirement tls, CancellationToken ct)
    {
        string? certificateProblem = null;
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        _stream = ssl;
        // Unread bytes before the handshake would be a server injecting plaintext into the TLS session (RFC 3207 §6).
        if (_inEnd > _inStart) throw new ProtocolException("the server sent data after its STARTTLS answer");
        try
        {
            using var timeout = Deadline(ct);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = Host.Name,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, _, _, errors) =>
                {
                    certificateProblem = errors switch
                    {
                        SslPolicyErrors.None => null,
                        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) => "certificate-host-mismatch",
                        _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) => "validation-failure",
                        _ => "certificate-not-trusted",
                    };
                    return tls != TlsRequirement.Verify || errors == SslPolicyErrors.None;
                },
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            throw new DeliveryConnectException(
                SmtpAnswer.Temporary("4.7.5", $"TLS with {Host} failed: {e.Message}"), certificateProblem ?? "validation-failure", e);
        }
        Tls = $"{ssl.SslProtocol} {ssl.NegotiatedCipherSuite}";
    }

    private async Task AuthenticateAsync(NetworkCredential auth, CancellationToken ct)
    {
        Reply reply;
        if (_capabilities.AuthPlain)
        {
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{auth.UserName}\0{auth.Password}"));
            reply = await CommandAsync("AUTH PLAIN " + plain, ct).ConfigureAwait(false);
        }
        else if (_capabilities.AuthLogin)
        {
            reply = await CommandAsync("AUTH LOGIN", ct).ConfigureAwait(false);
            if (reply.Code == 334) reply = await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(auth.UserName)), ct).ConfigureAwait(false);
            if (reply.Code == 334) reply = await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(auth.Password)), ct).ConfigureAwait(false);
        }
        else
        {
            throw new DeliveryConnectException(SmtpAnswer.Temporary("4.7.8", $"{Host} offers no AUTH mechanism this server can use (PLAIN or LOGIN)"));
        }
        if (reply.Code != 235) throw new DeliveryConnectException(SmtpAnswer.Temporary("4.7.8", $"{Host} refused the login: {reply.Answer()}"));
    }

    /// <summary>
    /// Sends one message to the envelope's recipients and returns each recipient's answer. Never throws for what the
    /// server says or for a broken connection; those become answers. Everything up to the end of the data is sent at
    /// once; the final "." (the moment the server takes the message) waits for <paramref name="beforeEnd"/>.
    /// </summary>
    public async Task<SendResult> SendAsync(Envelope envelope, OutgoingMessage message, Task? beforeEnd, CancellationToken ct)
    {
        var answers = new Dictionary<long, SmtpAnswer>();
        if (_broken)
        {
            foreach (var r in envelope.Recipients) answers[r.Id] = SmtpAnswer.Temporary("4.4.2", $"connection with {Host} lost");
            return new SendResult(answers, false);
        }

        var utf8 = !Ascii.IsValid(envelope.Sender) || envelope.Recipients.Any(r => !Ascii.IsValid(r.Address));
        if (utf8 && !_capabilities.SmtpUtf8)
        {
            var refused = SmtpAnswer.Permanent("5.6.7", $"{Host} does not support SMTPUTF8, which the non-ASCII addresses need");
            foreach (var r in envelope.Recipients) answers[r.Id] = refused;
            return new SendResult(answers, true);
        }

        try
        {
            var accepted = await EnvelopeAsync(envelope, message, utf8, answers, ct).ConfigureAwait(false);
            if (accepted.Count > 0)
            {
                Stuff(message.Data.Span, _out);
                await FlushAsync(ct).ConfigureAwait(false);
                if (beforeEnd is not null) await beforeEnd.WaitAsync(ct).ConfigureAwait(false);
                _out.Write(".\r\n"u8);
                await FlushAsync(ct).ConfigureAwait(false);
                var final = await ReadReplyAsync(ct).ConfigureAwait(false);
                if (final.Code is >= 300 and < 400) throw new ProtocolException($"unexpected reply to the end of the data: {final.Answer()}");
                var answer = final.Answer();
                foreach (var r in accepted) answers[r.Id] = answer;
                if (final.Code == 421) _broken = true;
                if (answer.IsSuccess) MessagesSent++;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or ObjectDisposedException
                                      or OperationCanceledException && !ct.IsCancellationRequested)
        {
            _broken = true;
            var what = e is OperationCanceledException ? "timed out" : e.Message;
            var lost = SmtpAnswer.Temporary("4.4.2", $"connection with {Host} lost: {what}");
            foreach (var r in envelope.Recipients) answers.TryAdd(r.Id, lost);
        }
        return new SendResult(answers, IsConnected);
    }

    /// <summary>MAIL, RCPT... and DATA (pipelined when offered). Returns the recipients the server accepted once it
    /// said 354, with everyone's answer in <paramref name="answers"/> otherwise; an empty list ends the transaction.</summary>
    private async Task<List<EnvelopeRecipient>> EnvelopeAsync(Envelope envelope, OutgoingMessage message, bool utf8, Dictionary<long, SmtpAnswer> answers, CancellationToken ct)
    {
        var mail = new StringBuilder("MAIL FROM:<").Append(envelope.Sender).Append('>');
        if (_capabilities.Size) mail.Append(" SIZE=").Append(message.Data.Length.ToString(CultureInfo.InvariantCulture));
        if (message.EightBit && _capabilities.EightBitMime) mail.Append(" BODY=8BITMIME");
        if (_capabilities.SmtpUtf8 && (utf8 || message.EightBit)) mail.Append(" SMTPUTF8");
        if (_capabilities.Dsn)
        {
            if (envelope.Ret is { } ret && (ret.Equals("FULL", StringComparison.OrdinalIgnoreCase) || ret.Equals("HDRS", StringComparison.OrdinalIgnoreCase)))
                mail.Append(" RET=").Append(ret.ToUpperInvariant());
            if (envelope.EnvId is { Length: > 0 } envId) mail.Append(" ENVID=").Append(XText(envId));
        }
        var rcpts = envelope.Recipients.Select(r =>
        {
            var line = new StringBuilder("RCPT TO:<").Append(r.Address).Append('>');
            if (_capabilities.Dsn)
            {
                if (Notify(r.Notify) is { } notify) line.Append(" NOTIFY=").Append(notify);
                if (Orcpt(r.Orcpt) is { } orcpt) line.Append(" ORCPT=").Append(orcpt);
            }
            return line.ToString();
        }).ToList();

        var accepted = new List<EnvelopeRecipient>();
        Reply mailReply;
        Reply? dataReply = null;
        if (_capabilities.Pipelining)
        {
            Line(mail.ToString());
            foreach (var rcpt in rcpts) Line(rcpt);
            Line("DATA");
            await FlushAsync(ct).ConfigureAwait(false);
            mailReply = await ReadReplyAsync(ct).ConfigureAwait(false);
            var mailRefused = mailReply.Code == 250 ? null : Refusal(mailReply);
            if (mailReply.Code == 421)
            {
                _broken = true;
                foreach (var r in envelope.Recipients) answers[r.Id] = mailRefused!;
                return [];
            }
            for (var i = 0; i < rcpts.Count; i++)
            {
                var reply = await ReadReplyAsync(ct).ConfigureAwait(false);
                if (mailRefused is null && reply.Code is 250 or 251) accepted.Add(envelope.Recipients[i]);
                else answers[envelope.Recipients[i].Id] = mailRefused ?? Refusal(reply);
            }
            dataReply = await ReadReplyAsync(ct).ConfigureAwait(false);
            if (dataReply.Code == 354 && accepted.Count == 0)
            {
                // RFC 2920 §3.1: DATA was taken although no recipient was; end it with an empty message.
                _out.Write(".\r\n"u8);
                await FlushAsync(ct).ConfigureAwait(false);
                await ReadReplyAsync(ct).ConfigureAwait(false);
            }
        }
        else
        {
            mailReply = await CommandAsync(mail.ToString(), ct).ConfigureAwait(false);
            if (mailReply.Code == 250)
            {
                for (var i = 0; i < rcpts.Count; i++)
                {
                    var reply = await CommandAsync(rcpts[i], ct).ConfigureAwait(false);
                    if (reply.Code is 250 or 251) accepted.Add(envelope.Recipients[i]);
                    else answers[envelope.Recipients[i].Id] = Refusal(reply);
                    if (reply.Code == 421)
                    {
                        foreach (var rest in envelope.Recipients.Skip(i + 1)) answers[rest.Id] = reply.Answer();
                        break;
                    }
                }
                if (accepted.Count > 0) dataReply = await CommandAsync("DATA", ct).ConfigureAwait(false);
            }
            else
            {
                var refused = Refusal(mailReply);
                foreach (var r in envelope.Recipients) answers[r.Id] = refused;
            }
        }

        if (mailReply.Code == 421 || answers.Values.Any(a => a.Code == 421) || dataReply?.Code == 421) _broken = true;
        if (accepted.Count > 0 && dataReply is { Code: 354 } && !_broken) return accepted;

        // The transaction ends here: recipients that were accepted get what DATA was answered.
        if (accepted.Count > 0)
        {
            var refused = dataReply is { } d && d.Code != 354 ? Refusal(d) : SmtpAnswer.Temporary("4.4.2", $"connection with {Host} lost");
            foreach (var r in accepted) answers[r.Id] = refused;
        }
        if (!_broken)
        {
            var reset = await CommandAsync("RSET", ct).ConfigureAwait(false);
            if (reset.Code != 250) _broken = true;
        }
        return [];
    }

    /// <summary>RFC 3461 NOTIFY as queued ("SUCCESS,DELAY", "NEVER"), normalised; null when there is none.</summary>
    private static string? Notify(string? notify)
    {
        if (string.IsNullOrWhiteSpace(notify)) return null;
        var parts = notify.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.ToUpperInvariant()).Where(p => p is "NEVER" or "SUCCESS" or "FAILURE" or "DELAY").Distinct().ToList();
        if (parts.Contains("NEVER")) parts = ["NEVER"];
        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    /// <summary>The ORCPT kept at submission ("type;address", decoded), written back as it came: the address type and
    /// the address as xtext (RFC 3461 §4.2). Null when the message was submitted without one.</summary>
    internal static string? Orcpt(string? orcpt)
    {
        if (string.IsNullOrEmpty(orcpt)) return null;
        var semicolon = orcpt.IndexOf(';');
        if (semicolon <= 0 || semicolon == orcpt.Length - 1) return null;
        return orcpt[..semicolon] + ";" + XText(orcpt[(semicolon + 1)..]);
    }

    /// <summary>RFC 3461 §4 xtext: "+", "=" and bytes outside 33..126 as "+HH".</summary>
    internal static string XText(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is < 33 or > 126 or (byte)'+' or (byte)'=') text.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            else text.Append((char)b);
        }
        return text.ToString();
    }

    /// <summary>Writes message content for DATA: a "." at the start of a line doubled (RFC 5321 §4.5.2), a bare LF
    /// sent as CRLF, and a CRLF added when the content does not end with one. The final "." is not written.</summary>
    public static void Stuff(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (data.Length > 0 && data[0] == '.') output.Write("."u8);
        var start = 0;
        var position = 0;
        while (position < data.Length)
        {
            var found = data[position..].IndexOf((byte)'\n');
            if (found < 0) break;
            var lf = position + found;
            var bare = lf == 0 || data[lf - 1] != '\r';
            var dot = lf + 1 < data.Length && data[lf + 1] == '.';
            if (bare || dot)
            {
                output.Write(data[start..(bare ? lf : lf - 1)]);
                output.Write(dot ? "\r\n."u8 : "\r\n"u8);
                start = lf + 1;
            }
            position = lf + 1;
        }
        output.Write(data[start..]);
        if (data.Length == 0) return;
        if (data[^1] == '\r') output.Write("\n"u8);
        else if (data[^1] != '\n') output.Write("\r\n"u8);
    }

    private void Line(string command)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(command.Length) + 2);
        var n = Encoding.UTF8.GetBytes(command, span);
        span[n] = (byte)'\r';
        span[n + 1] = (byte)'\n';
        _out.Advance(n + 2);
    }

    private async Task<Reply> CommandAsync(string command, CancellationToken ct)
    {
        Line(command);
        await FlushAsync(ct).ConfigureAwait(false);
        return await ReadReplyAsync(ct).ConfigureAwait(false);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_out.WrittenCount == 0) return;
        // Every reply to what was sent before has been read: more is a reply to no command (a 250 sent with the 354,
        // before the body), and every reply after it would be taken for the answer to the command before.
        if (_inEnd > _inStart) throw new ProtocolException("the server sent a reply to no command");
        using (var timeout = Deadline(ct))
            await _stream.WriteAsync(_out.WrittenMemory, timeout.Token).ConfigureAwait(false);
        _out.ResetWrittenCount();
    }

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_commandTimeout);
        return timeout;
    }

    /// <summary>One reply, all its lines (RFC 5321 §4.2: "250-..." continues, "250 ..." ends; the first digit is 2 to
    /// 5, and every line of a reply has the same code).</summary>
    private async Task<Reply> ReadReplyAsync(CancellationToken ct)
    {
        var lines = new List<string>(1);
        var code = -1;
        using var timeout = Deadline(ct);
        while (true)
        {
            var line = await ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (line.Length < 3 || line[0] is < '2' or > '5' || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2])
                || line.Length > 3 && line[3] is not (' ' or '-'))
                throw new ProtocolException($"not an SMTP reply: {(line.Length > 80 ? line[..80] : line)}");
            var lineCode = int.Parse(line.AsSpan(0, 3), CultureInfo.InvariantCulture);
            if (code >= 0 && lineCode != code) throw new ProtocolException($"a reply whose lines have the codes {code} and {lineCode}");
            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ') return new Reply(code, lines);
            if (lines.Count > MaxReplyLines) throw new ProtocolException("reply with too many lines");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var lf = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var end = _inStart + lf;
                var length = end > _inStart && _in[end - 1] == '\r' ? end - 1 - _inStart : end - _inStart;
                var line = Encoding.UTF8.GetString(_in, _inStart, length);
                _inStart = end + 1;
                return line;
            }
            if (_inEnd - _inStart >= MaxReplyLine) throw new ProtocolException("reply line too long");
            if (_inStart > 0)
            {
                Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
                _inEnd -= _inStart;
                _inStart = 0;
            }
            var read = await _stream.ReadAsync(_in.AsMemory(_inEnd), ct).ConfigureAwait(false);
            if (read == 0) throw new IOException("the server closed the connection");
            _inEnd += read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsConnected)
        {
            try
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                Line("QUIT");
                await FlushAsync(quit.Token).ConfigureAwait(false);
                await ReadReplyAsync(quit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ProtocolException or OperationCanceledException or ObjectDisposedException)
            {
                // The session is over either way.
            }
        }
        await CloseAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseAsync()
    {
        _broken = true;
        try { await _stream.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }

    /// <summary>The answer of a reply that refuses what was asked: a 4xx or 5xx. Any other reply where only the one
    /// expected code or a refusal may come (a 2xx or 3xx that does not belong there) is the server breaking the
    /// protocol, never an answer to keep for a recipient.</summary>
    private static SmtpAnswer Refusal(Reply reply) =>
        reply.Code is >= 400 and < 600 ? reply.Answer() : throw new ProtocolException($"unexpected reply: {reply.Answer()}");

    private sealed record Reply(int Code, IReadOnlyList<string> Lines)
    {
        public SmtpAnswer Answer() => SmtpAnswer.From(Code, string.Join("\n", Lines));
    }

    /// <summary>What the server offered in its EHLO answer (RFC 5321 §4.1.1.1).</summary>
    private sealed record Capabilities
    {
        public bool Pipelining { get; init; }
        public bool StartTls { get; init; }
        public bool Dsn { get; init; }
        public bool EightBitMime { get; init; }
        public bool SmtpUtf8 { get; init; }
        public bool Size { get; init; }
        public bool AuthPlain { get; init; }
        public bool AuthLogin { get; init; }

        public static Capabilities From(IReadOnlyList<string> lines)
        {
            var c = new Capabilities();
            foreach (var line in lines.Skip(1))
            {
                var words = line.Split([' ', '='], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0) continue;
                c = words[0].ToUpperInvariant() switch
                {
                    "PIPELINING" => c with { Pipelining = true },
                    "STARTTLS" => c with { StartTls = true },
                    "DSN" => c with { Dsn = true },
                    "8BITMIME" => c with { EightBitMime = true },
                    "SMTPUTF8" => c with { SmtpUtf8 = true },
                    "SIZE" => c with { Size = true },
                    "AUTH" => c with
                    {
                        AuthPlain = c.AuthPlain || words.Skip(1).Any(w => w.Equals("PLAIN", StringComparison.OrdinalIgnoreCase)),
                        AuthLogin = c.AuthLogin || words.Skip(1).Any(w => w.Equals("LOGIN", StringComparison.OrdinalIgnoreCase)),
                    },
                    _ => c,
                };
            }
            return c;
        }
    }

    /// <summary>The server broke the protocol (an answer that is not an SMTP reply); the session cannot go on.</summary>
    private sealed class ProtocolException(string message) : IOException(message);
}
