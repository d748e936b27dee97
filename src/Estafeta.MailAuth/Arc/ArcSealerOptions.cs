namespace Estafeta.MailAuth.Arc;

public sealed record ArcSealerOptions
{
    public static ArcSealerOptions Default { get; } = new();

    /// <summary>Fields the ARC-Message-Signature covers when present (never ARC-Seal; never
    /// Authentication-Results, which receivers rewrite).</summary>
    public IReadOnlyList<string> SignedHeaders { get; init; } =
    [
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "Reply-To", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "DKIM-Signature", "List-Id", "List-Unsubscribe",
    ];
}
