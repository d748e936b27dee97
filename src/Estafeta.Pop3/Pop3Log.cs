using System.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Pop3;

internal static partial class Pop3Log
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "POP3 {Remote} C: {Line}")]
    public static partial void Client(ILogger log, IPEndPoint remote, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "POP3 {Remote} S: {Line}")]
    public static partial void Server(ILogger log, IPEndPoint remote, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "POP3 {Remote} session ended: {Reason}")]
    public static partial void Ended(ILogger log, IPEndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "POP3 {Remote} logged in as {Login} (account {AccountId}, {Count} messages)")]
    public static partial void LoggedIn(ILogger log, IPEndPoint remote, string login, long accountId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POP3 {Remote} failed login as {Login}; answering after {Delay}")]
    public static partial void LoginFailed(ILogger log, IPEndPoint remote, string login, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "POP3 {Remote} login refused: too many failed logins from this address")]
    public static partial void LoginBlocked(ILogger log, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "POP3 {Remote} maildrop of {Login} is in use by another session")]
    public static partial void MaildropInUse(ILogger log, IPEndPoint remote, string login);

    [LoggerMessage(Level = LogLevel.Information, Message = "POP3 {Remote} {Login} quit: {Deleted} messages deleted, {Left} left")]
    public static partial void Quit(ILogger log, IPEndPoint remote, string login, int deleted, int left);

    [LoggerMessage(Level = LogLevel.Error, Message = "POP3 {Remote} deleting messages of {Login} failed")]
    public static partial void CommitFailed(ILogger log, Exception e, IPEndPoint remote, string login);

    [LoggerMessage(Level = LogLevel.Error, Message = "POP3 {Remote} {Command} failed in the mail store")]
    public static partial void BackendFailed(ILogger log, Exception e, IPEndPoint remote, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "POP3 {Remote} STLS: the certificate could not be loaded")]
    public static partial void CertificateFailed(ILogger log, Exception e, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "POP3 {Remote} TLS started ({Protocol}, {CipherSuite}); {Discarded} octets sent before the handshake were dropped")]
    public static partial void TlsStarted(ILogger log, IPEndPoint remote, string protocol, string cipherSuite, long discarded);
}
