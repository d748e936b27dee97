namespace Estafeta.MailAuth.Dkim;

/// <summary>Receiver policy for DKIM verification.</summary>
public sealed record DkimVerifierOptions
{
    public static DkimVerifierOptions Default { get; } = new();

    /// <summary>RSA keys shorter than this are not accepted (RFC 8301: 1024).</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;

    /// <summary>Signatures beyond this many are reported neutral without being evaluated, which
    /// bounds the DNS queries and hashing a single message can cause.</summary>
    public int MaxSignatures { get; init; } = 10;

    /// <summary>A t= further than this in the future is not accepted; null accepts any t=.</summary>
    public TimeSpan? FutureTimestampTolerance { get; init; } = TimeSpan.FromDays(1);
}
