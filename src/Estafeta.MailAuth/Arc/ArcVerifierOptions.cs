namespace Estafeta.MailAuth.Arc;

public sealed record ArcVerifierOptions
{
    public static ArcVerifierOptions Default { get; } = new();

    /// <summary>RSA keys shorter than this do not verify (RFC 8301: 1024).</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;

    /// <summary>Also check the older ARC-Message-Signatures, to report the oldest that still
    /// verifies (header.oldest-pass); costs a key lookup and a hash per set.</summary>
    public bool FindOldestPass { get; init; } = true;
}
