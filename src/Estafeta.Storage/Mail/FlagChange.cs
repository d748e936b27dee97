namespace Estafeta.Storage;

/// <summary>A message's flags and keywords after a <see cref="MailStore.SetFlagsAsync"/>, with its new modseq.</summary>
public sealed record FlagChange(long Id, long MailboxId, long Uid, long ModSeq, MessageFlags Flags, IReadOnlyList<string> Keywords);
