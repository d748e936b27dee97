namespace Estafeta.MailAuth.Dkim;

/// <summary>How signatures are made. The defaults suit bulk mail: relaxed/relaxed, and every signed
/// field over-signed so that no copy of it can be added after signing.</summary>
public sealed record DkimSignerOptions
{
    /// <summary>Fields signed when present, in this order (h= lists each instance).</summary>
    public static IReadOnlyList<string> DefaultSignedHeaders { get; } =
    [
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post",
    ];

    public static DkimSignerOptions Default { get; } = new();

    public DkimCanonicalization HeaderCanonicalization { get; init; } = DkimCanonicalization.Relaxed;
    public DkimCanonicalization BodyCanonicalization { get; init; } = DkimCanonicalization.Relaxed;
    public IReadOnlyList<string> SignedHeaders { get; init; } = DefaultSignedHeaders;

    /// <summary>Those of <see cref="SignedHeaders"/> named once more than they occur (also when
    /// absent), so that adding one breaks the signature. Defaults to all of them.</summary>
    public IReadOnlyList<string> OverSignedHeaders { get; init; } = DefaultSignedHeaders;

    /// <summary>t=: when the signature was made.</summary>
    public bool IncludeTimestamp { get; init; } = true;

    /// <summary>x= = t= plus this, when set.</summary>
    public TimeSpan? Expiration { get; init; }
}
