using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>
/// STARTTLS (RFC 3207): 220, then the TLS handshake. The connection drops whatever the client sent after
/// the command and before the handshake (command injection), and the session forgets everything it
/// learnt before it: the client must EHLO again, and a login made before is gone (RFC 3207 §4.2).
/// A failed handshake closes the connection.
/// </summary>
internal static class StarttlsCommand
{
    public static SmtpReply Ready { get; } = new(220, "2.0.0", "Ready to start TLS");
    public static SmtpReply AlreadySecure { get; } = new(503, "5.5.1", "TLS already active");
    public static SmtpReply NotAvailable { get; } = new(454, "4.7.0", "TLS not available due to temporary reason");

    public static async ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (session.Options.Certificate is not { } certificateSource)
        {
            session.Reply(Replies.NotImplemented);
            return SessionStep.Continue;
        }
        if (session.Connection.IsSecure)
        {
            session.Reply(AlreadySecure);
            return SessionStep.Continue;
        }
        if (!argument.IsEmpty)
        {
            session.Reply(Replies.NoArguments("STARTTLS"));
            return SessionStep.Continue;
        }
        var (loaded, certificate) = await session.TryAsync<X509Certificate2>("loading the TLS certificate",
            _ => ValueTask.FromResult(certificateSource()), ct).ConfigureAwait(false);
        if (!loaded || certificate is null)
        {
            session.Reply(NotAvailable);
            return SessionStep.Continue;
        }

        session.Reply(Ready);
        var connection = session.Connection;
        try
        {
            await connection.UpgradeToTlsAsync(certificate, session.Options.TlsHandshakeTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            SmtpLog.TlsFailed(session.Log, session.Id, connection.RemoteEndPoint, e.Message);
            return SessionStep.Close("TLS handshake failed");
        }
        if (connection.DiscardedBeforeTls > 0)
            SmtpLog.DroppedBeforeTls(session.Log, session.Id, connection.RemoteEndPoint, connection.DiscardedBeforeTls);
        if (connection.Tls is { } tls) SmtpLog.TlsStarted(session.Log, session.Id, tls.Protocol, tls.CipherSuite);
        session.State = Connected.Instance;
        session.Principal = null;
        return SessionStep.Continue;
    }
}
