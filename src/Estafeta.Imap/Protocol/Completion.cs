namespace Estafeta.Imap.Protocol;

internal enum CompletionStatus { Ok, No, Bad }

/// <summary>
/// The tagged status response that ends a command (RFC 9051 §7.1): OK, NO or BAD, an optional response code
/// (e.g. "APPENDUID 38505 3955", "TRYCREATE") and human-readable text.
/// </summary>
internal sealed record Completion(CompletionStatus Status, string? Code, string Text)
{
    public static Completion Ok(string text, string? code = null) => new(CompletionStatus.Ok, code, text);
    public static Completion No(string text, string? code = null) => new(CompletionStatus.No, code, text);
    public static Completion Bad(string text, string? code = null) => new(CompletionStatus.Bad, code, text);

    /// <summary>No tagged response at all: the session ended with "* BYE" in the middle of the command.</summary>
    public static Completion None { get; } = new(CompletionStatus.No, null, "");

    public string StatusWord => Status switch { CompletionStatus.Ok => "OK", CompletionStatus.No => "NO", _ => "BAD" };

    /// <summary>The line after the tag, without CRLF.</summary>
    public string Line => Code is null ? $"{StatusWord} {Text}" : $"{StatusWord} [{Code}] {Text}";
}
