namespace Estafeta.Imap.Grammar;

/// <summary>The limits <see cref="CommandReader"/> enforces while reading, before anything is held in memory.</summary>
/// <param name="MaxLineLength">Octets of one line between literals, without CRLF.</param>
/// <param name="MaxCommandSize">Octets of a whole command except APPEND's message literal: text and literals.</param>
/// <param name="MaxMessageSize">Octets of APPEND's message literal.</param>
/// <param name="InMemoryLiteral">Literals up to this size stay in memory; larger ones go to a temporary file.</param>
internal sealed record CommandLimits(int MaxLineLength, long MaxCommandSize, long MaxMessageSize, int InMemoryLiteral = 64 * 1024);
