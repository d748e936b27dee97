namespace Estafeta.Storage;

/// <summary>A message removed by an expunge, so IMAP can send EXPUNGE / VANISHED responses.</summary>
public sealed record ExpungedMessage(long Id, long MailboxId, long Uid);
