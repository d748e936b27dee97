namespace Estafeta.Smtp;

/// <summary>The RCPT ORCPT= parameter (RFC 3461 §4.2): an address type ("rfc822", "utf-8") and the
/// original address, xtext-decoded.</summary>
public sealed record OriginalRecipient(string AddressType, string Address);
