namespace Estafeta.MailAuth.Dkim;

/// <summary>The a= signature algorithms this code knows. RsaSha1 is only ever recognised so that
/// it can be reported as not accepted (RFC 8301); it is never signed with or verified.</summary>
public enum DkimAlgorithm
{
    RsaSha256,
    Ed25519Sha256,
    RsaSha1,
}
