namespace Estafeta.Smtp;

/// <summary>What a listener is for. <see cref="Mx"/> receives mail from other servers and never offers AUTH;
/// <see cref="Submission"/> (RFC 6409) serves the users' own mail clients and requires a login before MAIL.</summary>
public enum SmtpMode { Mx, Submission }
