namespace Estafeta.Smtp;

/// <summary>The RCPT NOTIFY= parameter (RFC 3461 §4.1). <see cref="Never"/> is never combined with the others.</summary>
[Flags]
public enum DsnNotify
{
    Never = 1,
    Success = 2,
    Failure = 4,
    Delay = 8,
}
