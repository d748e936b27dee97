namespace Estafeta.MailAuth.Spf;

/// <summary>Which identity is checked (RFC 7208 §2.3, §2.4).</summary>
public enum SpfIdentity
{
    /// <summary>The MAIL FROM address; an empty reverse-path uses postmaster@HELO.</summary>
    MailFrom,
    /// <summary>The HELO/EHLO domain.</summary>
    Helo,
}
