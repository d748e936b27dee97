namespace Estafeta.Imap.Store;

/// <summary>A mailbox in LIST: its name, its RFC 6154 special-use attribute (e.g. "\Sent") or null, and
/// whether the user subscribed to it.</summary>
public sealed record MailboxEntry(string Name, string? SpecialUse, bool Subscribed);
