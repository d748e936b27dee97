using System.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Smtp.Session;

internal static partial class SmtpLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: connection from {Remote}")]
    public static partial void SessionStarted(ILogger log, string sessionId, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: closed ({Reason}) after {Commands} commands")]
    public static partial void SessionEnded(ILogger log, string sessionId, string reason, int commands);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP {SessionId} C: {Line}")]
    public static partial void ClientLine(ILogger log, string sessionId, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP {SessionId} S: {Line}")]
    public static partial void ServerLine(ILogger log, string sessionId, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: {Remote} logged in as {Login}")]
    public static partial void LoggedIn(ILogger log, string sessionId, IPEndPoint remote, string login);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP {SessionId}: failed login as {Login} from {Remote}")]
    public static partial void LoginFailed(ILogger log, string sessionId, IPEndPoint remote, string login);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP {SessionId}: login refused, {Remote} failed too often")]
    public static partial void LoginBlocked(ILogger log, string sessionId, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMTP {SessionId}: TLS started: {Protocol} {CipherSuite}")]
    public static partial void TlsStarted(ILogger log, string sessionId, string protocol, string cipherSuite);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP {SessionId}: {Remote} sent {Bytes} bytes after STARTTLS before the handshake; they were dropped")]
    public static partial void DroppedBeforeTls(ILogger log, string sessionId, IPEndPoint remote, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: TLS handshake with {Remote} failed: {Reason}")]
    public static partial void TlsFailed(ILogger log, string sessionId, IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMTP {SessionId}: the TLS certificate could not be loaded")]
    public static partial void CertificateFailed(ILogger log, Exception e, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: message from <{From}> to {Recipients} recipients, {Length} bytes: {Reply}")]
    public static partial void MessageAnswered(ILogger log, string sessionId, string from, int recipients, long length, string reply);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP {SessionId}: message from <{From}> refused: {Length} bytes is over the limit of {Limit}")]
    public static partial void MessageTooLarge(ILogger log, string sessionId, string from, long length, long limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMTP {SessionId}: {Step} failed")]
    public static partial void StepFailed(ILogger log, Exception e, string sessionId, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMTP {SessionId}: {Step} gave no valid reply ({Code})")]
    public static partial void InvalidReply(ILogger log, string sessionId, string step, int code);
}
