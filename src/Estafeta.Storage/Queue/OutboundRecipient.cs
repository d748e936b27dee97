namespace Estafeta.Storage;

/// <summary>A recipient to queue, with its DSN parameters from RCPT TO (RFC 3461 NOTIFY and ORCPT), raw.</summary>
public sealed record OutboundRecipient(string Address, string? DsnNotify = null, string? DsnOrcpt = null);
