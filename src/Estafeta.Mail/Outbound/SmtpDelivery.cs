using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// One SMTP session with a receiving server, over MailKit's <see cref="SmtpClient"/>: connect to one address,
/// EHLO, STARTTLS (opportunistic, or required by a route or an MTA-STS policy), AUTH for smart hosts, then any number
/// of messages (MAIL, RCPT... pipelined when offered, DATA or BDAT). Each recipient's answer is kept, so that one
/// refused recipient does not stop the others; the stored bytes go out as they are (MailKit's re-encoding is off).
/// </summary>
public sealed class SmtpDelivery : IAsyncDisposable
{
    private readonly EnvelopeClient _client;

    private SmtpDelivery(EnvelopeClient client, DeliveryHost host, string tls)
    {
        _client = client;
        Host = host;
        Tls = tls;
    }

    public DeliveryHost Host { get; }

    /// <summary>"none", or the protocol and cipher suite of the session.</summary>
    public string Tls { get; }

    public bool IsEncrypted => _client.IsEncrypted;
    public bool SupportsDsn => _client.Capabilities.HasFlag(SmtpCapabilities.Dsn);
    public bool IsConnected => _client.IsConnected;
    public int MessagesSent { get; private set; }

    public static async Task<SmtpDelivery> ConnectAsync(
        DeliveryHost host, TlsRequirement tls, string heloName, NetworkCredential? auth, TimeSpan connectTimeout, TimeSpan commandTimeout, CancellationToken ct)
    {
        string? certificateProblem = null;
        var client = new EnvelopeClient
        {
            LocalDomain = heloName,
            Timeout = (int)commandTimeout.TotalMilliseconds,
            ServerCertificateValidationCallback = (_, _, _, errors) =>
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
        };
        var socket = new Socket(host.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(connectTimeout);
                try { await socket.ConnectAsync(new IPEndPoint(host.Address, host.Port), timeout.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new DeliveryConnectException(SmtpAnswer.Temporary("4.4.1", $"connect to {host} timed out"));
                }
            }
            var options = tls == TlsRequirement.Opportunistic ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.StartTls;
            await client.ConnectAsync(socket, host.Name, host.Port, options, ct);
            if (auth is not null) await client.AuthenticateAsync(auth, ct);
            var description = client.IsEncrypted ? $"{client.SslProtocol} {client.SslCipherSuite}" : "none";
            return new SmtpDelivery(client, host, description);
        }
        catch (DeliveryConnectException)
        {
            socket.Dispose();
            client.Dispose();
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            socket.Dispose();
            client.Dispose();
            throw e switch
            {
                NotSupportedException => new DeliveryConnectException(
                    SmtpAnswer.Temporary("4.7.10", $"{host} does not offer STARTTLS and TLS is required"), "starttls-not-supported", e),
                System.Security.Authentication.AuthenticationException or SslHandshakeException => new DeliveryConnectException(
                    SmtpAnswer.Temporary("4.7.5", $"TLS with {host} failed: {e.Message}"), certificateProblem ?? "validation-failure", e),
                SmtpCommandException c => new DeliveryConnectException(SmtpAnswer.From((int)c.StatusCode, c.Message), null, e),
                MailKit.Security.AuthenticationException => new DeliveryConnectException(
                    SmtpAnswer.Temporary("4.7.8", $"{host} refused the login: {e.Message}"), null, e),
                _ => new DeliveryConnectException(SmtpAnswer.Temporary("4.4.1", $"connect to {host}: {e.Message}"), null, e),
            };
        }
    }

    /// <summary>Sends one message to the envelope's recipients and returns each recipient's answer. Never throws for
    /// what the server says or for a broken connection; those become answers.</summary>
    public async Task<SendResult> SendAsync(Envelope envelope, MimeMessage message, CancellationToken ct)
    {
        _client.Begin(envelope);
        var answers = new Dictionary<long, SmtpAnswer>();
        var usable = true;
        try
        {
            var from = new MailboxAddress("", envelope.Sender);
            var to = envelope.Recipients.Select(r => new MailboxAddress("", r.Address)).ToList();
            var reply = await _client.SendAsync(FormatOptions.Default, message, from, to, ct);
            foreach (var r in envelope.Recipients)
                answers[r.Id] = _client.Refused.TryGetValue(r.Address, out var refused) ? refused : SmtpAnswer.From(250, reply);
            MessagesSent++;
        }
        catch (NoRecipientAcceptedException)
        {
            foreach (var r in envelope.Recipients)
                answers[r.Id] = _client.Refused.GetValueOrDefault(r.Address) ?? SmtpAnswer.Temporary("4.0.0", "recipient not accepted");
        }
        catch (SmtpCommandException e)
        {
            var answer = SmtpAnswer.From((int)e.StatusCode, e.Message);
            usable = e.StatusCode != SmtpStatusCode.ServiceNotAvailable && _client.IsConnected;
            foreach (var r in envelope.Recipients)
                answers[r.Id] = _client.Refused.GetValueOrDefault(r.Address) ?? answer;
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException
                                      or OperationCanceledException && !ct.IsCancellationRequested)
        {
            usable = false;
            var lost = SmtpAnswer.Temporary("4.4.2", $"connection with {Host} lost: {e.Message}");
            foreach (var r in envelope.Recipients)
                answers[r.Id] = _client.Refused.GetValueOrDefault(r.Address) ?? lost;
        }
        return new SendResult(answers, usable && _client.IsConnected);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(true, quit.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or ServiceNotConnectedException)
        {
            // The session is over either way.
        }
        _client.Dispose();
    }

    private sealed class NoRecipientAcceptedException : Exception;

    /// <summary>MailKit's client, told the envelope's DSN parameters, keeping refused recipients instead of
    /// throwing, and sending the message as stored (no re-encoding, which would break DKIM signatures).</summary>
    private sealed class EnvelopeClient : SmtpClient
    {
        private Envelope? _envelope;

        public Dictionary<string, SmtpAnswer> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Begin(Envelope envelope)
        {
            _envelope = envelope;
            Refused.Clear();
            DeliveryStatusNotificationType = envelope.Ret?.ToUpperInvariant() switch
            {
                "FULL" => DeliveryStatusNotificationType.Full,
                "HDRS" => DeliveryStatusNotificationType.HeadersOnly,
                _ => DeliveryStatusNotificationType.Unspecified,
            };
        }

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused[mailbox.Address] = SmtpAnswer.From((int)response.StatusCode, response.Response);

        protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();

        protected override string? GetEnvelopeId(MimeMessage message) => _envelope?.EnvId;

        protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
        {
            var notify = Recipient(mailbox)?.Notify;
            if (string.IsNullOrEmpty(notify)) return null;
            DeliveryStatusNotification result = 0;
            foreach (var part in notify.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                result |= part.ToUpperInvariant() switch
                {
                    "NEVER" => DeliveryStatusNotification.Never,
                    "SUCCESS" => DeliveryStatusNotification.Success,
                    "FAILURE" => DeliveryStatusNotification.Failure,
                    "DELAY" => DeliveryStatusNotification.Delay,
                    _ => 0,
                };
            }
            return result == 0 ? null : result;
        }

        protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
        {
            // Deliberately nothing: the message leaves byte for byte as it was queued (and signed).
        }

        private EnvelopeRecipient? Recipient(MailboxAddress mailbox) =>
            _envelope?.Recipients.FirstOrDefault(r => string.Equals(r.Address, mailbox.Address, StringComparison.OrdinalIgnoreCase));
    }
}
