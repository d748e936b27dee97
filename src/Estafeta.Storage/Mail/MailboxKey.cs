namespace Estafeta.Storage;

/// <summary>
/// One mailbox as it was opened: its account, id and UIDVALIDITY. The calls that take a key do nothing (or return
/// null) once that mailbox is gone, even if SQLite has handed its id to a newer mailbox, of this account or another.
/// </summary>
public readonly record struct MailboxKey(long AccountId, long Id, long UidValidity);
