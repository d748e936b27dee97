namespace Estafeta.Storage;

/// <summary>
/// One message to make durable: filed into zero or more local mailboxes and optionally queued for outbound
/// delivery, all in one transaction. <paramref name="Blob"/> must have been committed by a <see cref="BlobWriter"/>.
/// </summary>
public sealed record Delivery(
    BlobRef Blob,
    IReadOnlyList<DeliveryTarget> Targets,
    DateTimeOffset InternalDate,
    MessageEnvelope Envelope,
    MessageFlags Flags = MessageFlags.None,
    OutboundMessage? Outbound = null,
    IReadOnlyList<string>? Keywords = null,
    SpamVerdict? Spam = null);

/// <summary>The spam score the MX gave a message and the reasons for it (e.g. <c>SPF_SOFTFAIL(+1.5): ...</c>),
/// stored with every copy of it.</summary>
public sealed record SpamVerdict(double Score, IReadOnlyList<string> Reasons)
{
    /// <summary>The reasons as stored: one per line (a line break inside a reason becomes a space).</summary>
    internal string JoinedReasons() =>
        string.Join('\n', Reasons.Select(r => r.ReplaceLineEndings(" ")));

    internal static IReadOnlyList<string> SplitReasons(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : joined.Split('\n');
}
