namespace Estafeta.Mail.Outbound;

public enum TlsRequirement
{
    /// <summary>STARTTLS when offered, any certificate (RFC 7435 opportunistic security); plain text otherwise.</summary>
    Opportunistic,

    /// <summary>STARTTLS or no delivery; any certificate (a route with TLS required).</summary>
    Encrypt,

    /// <summary>STARTTLS with a certificate valid for the MX host name, or no delivery (MTA-STS enforce).</summary>
    Verify,
}
