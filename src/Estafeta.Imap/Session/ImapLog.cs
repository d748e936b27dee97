using System.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Imap.Session;

internal static partial class ImapLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAP {Remote} C: {Line}")]
    public static partial void Client(ILogger log, IPEndPoint remote, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAP {Remote} S: {Line}")]
    public static partial void Server(ILogger log, IPEndPoint remote, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAP {Remote} session ended: {Reason}")]
    public static partial void Ended(ILogger log, IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "IMAP {Remote} logged in as {Login} (account {AccountId})")]
    public static partial void LoggedIn(ILogger log, IPEndPoint remote, string login, long accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP {Remote} failed login as {Login}; answering after {Delay}")]
    public static partial void LoginFailed(ILogger log, IPEndPoint remote, string login, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP {Remote} login refused: too many failed logins from this address")]
    public static partial void LoginBlocked(ILogger log, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP {Remote} login of {Login} refused: the account has too many sessions")]
    public static partial void TooManySessions(ILogger log, IPEndPoint remote, string login);

    [LoggerMessage(Level = LogLevel.Error, Message = "IMAP {Remote} {Command} failed in the mail store")]
    public static partial void BackendFailed(ILogger log, Exception e, IPEndPoint remote, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "IMAP {Remote} STARTTLS: the certificate could not be loaded")]
    public static partial void CertificateFailed(ILogger log, Exception e, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAP {Remote} TLS started ({Protocol}, {Cipher}); {Discarded} octets sent before the handshake were dropped")]
    public static partial void TlsStarted(ILogger log, IPEndPoint remote, string protocol, string cipher, long discarded);

    [LoggerMessage(Level = LogLevel.Information, Message = "IMAP {Remote} client identified itself as {Client}")]
    public static partial void ClientId(ILogger log, IPEndPoint remote, string client);
}
