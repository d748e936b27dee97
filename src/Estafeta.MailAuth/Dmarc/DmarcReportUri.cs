namespace Estafeta.MailAuth.Dmarc;

/// <summary>One rua= or ruf= destination. Only mailto: URIs are accepted (RFC 9989 §4.7, RFC 9990 §3);
/// <see cref="MaxSize"/> is the RFC 7489 "!size" suffix in octets when one was given.</summary>
public sealed record DmarcReportUri(string Uri, string Address, long? MaxSize = null)
{
    /// <summary>The domain part of <see cref="Address"/>, lower-cased.</summary>
    public string Domain => Address[(Address.LastIndexOf('@') + 1)..].ToLowerInvariant();

    public override string ToString() => Uri;
}
