namespace Estafeta.MailAuth.Dkim;

/// <summary>The RFC 8601 §2.7.1 result of one DKIM signature.</summary>
public enum DkimStatus
{
    /// <summary>The message was not signed.</summary>
    None,
    Pass,
    /// <summary>The signature was acceptable but did not verify (body hash or signature mismatch).</summary>
    Fail,
    /// <summary>Signed, but not otherwise processable (more signatures than the verifier evaluates,
    /// or a failure while the key is in testing mode).</summary>
    Neutral,
    /// <summary>Signed, but some aspect is not acceptable: rsa-sha1, a short RSA key, an expired
    /// signature or one from the future.</summary>
    Policy,
    /// <summary>A transient error, such as a DNS timeout while fetching the key.</summary>
    TempError,
    /// <summary>An unrecoverable error: malformed signature, no key, a revoked or unusable key.</summary>
    PermError,
}
