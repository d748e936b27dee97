using Estafeta.Imap.Store;
using Estafeta.Storage;
using MessageFlags = Estafeta.Imap.Store.MessageFlags;
using FlagOperation = Estafeta.Imap.Store.FlagOperation;

namespace Estafeta.Mail.Imap;

/// <summary>The IMAP engine's store types from and to the mail store's (the flag bits are the same on both sides).</summary>
internal static class ImapConversions
{
    public static ImapMessage ToImap(this MessageSummary m) =>
        new(m.Uid, m.ModSeq, (MessageFlags)(int)m.Flags, m.Keywords, m.InternalDate, m.Size, m.BlobHash);

    public static Storage.MessageFlags ToStored(this MessageFlags flags) => (Storage.MessageFlags)(int)flags;

    public static Storage.FlagOperation ToStored(this FlagOperation operation) => operation switch
    {
        FlagOperation.Replace => Storage.FlagOperation.Replace,
        FlagOperation.Add => Storage.FlagOperation.Add,
        FlagOperation.Remove => Storage.FlagOperation.Remove,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    public static IReadOnlyList<(long First, long Last)> ToRanges(this UidSet uids) =>
        [.. uids.Ranges.Select(r => (r.First, r.Last))];
}
