namespace Estafeta.MailAuth.Dkim;

/// <summary>One header field of a wire-form message: its name (trimmed, as written) and where its
/// bytes are, from the first byte of the name through the CRLF that ends its last line.</summary>
internal readonly record struct HeaderField(string Name, int Offset, int Length);
