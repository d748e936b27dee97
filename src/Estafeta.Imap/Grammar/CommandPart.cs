namespace Estafeta.Imap.Grammar;

/// <summary>A piece of a command as it arrived: a line of text (without the literal marker and CRLF),
/// or the literal that followed a line ending in {n}.</summary>
internal abstract record CommandPart;

internal sealed record TextPart(byte[] Bytes) : CommandPart;

internal sealed record LiteralPart(Literal Literal) : CommandPart;
