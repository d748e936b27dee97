namespace Estafeta.Imap.Mime;

/// <summary>An address of ENVELOPE (RFC 9051 §7.5.2): name, source route, mailbox, host. A group is a start
/// marker (mailbox = group name, host NIL) and an end marker (all NIL).</summary>
internal sealed record EnvelopeAddress(byte[]? Name, byte[]? Route, byte[]? Mailbox, byte[]? Host);
