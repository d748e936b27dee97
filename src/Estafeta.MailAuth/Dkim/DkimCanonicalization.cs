namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.4 canonicalization algorithms.</summary>
public enum DkimCanonicalization
{
    Simple,
    Relaxed,
}
