namespace Estafeta.Mail;

/// <summary>Settings of the mail engine. <see cref="JunkThreshold"/>: a message whose inbound checks add up to at
/// least this score is filed into Junk instead of INBOX.</summary>
public sealed record MailEngineOptions(string HostName, long MaxMessageSize, double JunkThreshold = 5.0);
