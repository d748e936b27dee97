namespace Estafeta.Storage;

/// <summary>
/// A login with a mailbox. <see cref="Address"/> is canonical; <see cref="QuotaBytes"/> 0 means unlimited;
/// <see cref="UsedBytes"/> is the total size of its stored messages, kept in the same transaction as
/// every delivery and expunge.
/// </summary>
public sealed record Account(long Id, long DomainId, string Address, long QuotaBytes, long UsedBytes, DateTimeOffset CreatedAt)
{
    /// <summary>Whether <paramref name="bytes"/> more would fit in the quota.</summary>
    public bool HasRoomFor(long bytes) => QuotaBytes == 0 || UsedBytes + bytes <= QuotaBytes;
}
