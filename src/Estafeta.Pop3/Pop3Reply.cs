namespace Estafeta.Pop3;

internal enum ReplyStatus { Ok, Err, Continue }

/// <summary>A stored message sent as the body of a multi-line reply: dot-stuffed, optionally cut after
/// <see cref="MaxBodyLines"/> body lines (TOP). The session disposes the stream once it is written.</summary>
internal sealed record MessageContent(Stream Stream, int? MaxBodyLines);

/// <summary>One server reply as a value: a status line, and for multi-line replies either short
/// <see cref="Lines"/> or a stored message's <see cref="Content"/>.</summary>
internal sealed record Pop3Reply(ReplyStatus Status, string Text, string? Code = null)
{
    public IReadOnlyList<string>? Lines { get; init; }
    public MessageContent? Content { get; init; }

    public bool IsMultiLine => Lines is not null || Content is not null;

    /// <summary>Errors the client caused; server-side conditions (a busy maildrop, a failing store) do not count.</summary>
    public bool CountsAsError => Status == ReplyStatus.Err && Code is not (ResponseCode.SysTemp or ResponseCode.InUse);

    public string StatusLine => Status switch
    {
        ReplyStatus.Ok => Text.Length == 0 ? "+OK" : "+OK " + Text,
        ReplyStatus.Continue => "+ " + Text,
        _ => Code is null ? "-ERR " + Text : $"-ERR [{Code}] {Text}",
    };

    /// <summary>"1 message (120 octets)", "2 messages (320 octets)": the maildrop's size as RFC 1939's examples word it.</summary>
    public static string Size(int count, long octets) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "message" : "messages")} ({octets} {(octets == 1 ? "octet" : "octets")})");

    public static Pop3Reply Ok(string text) => new(ReplyStatus.Ok, text);
    public static Pop3Reply Ok(string text, IReadOnlyList<string> lines) => new(ReplyStatus.Ok, text) { Lines = lines };
    public static Pop3Reply Err(string text, string? code = null) => new(ReplyStatus.Err, text, code);
    /// <summary>The empty SASL challenge "+ " (RFC 5034 §4).</summary>
    public static Pop3Reply EmptyChallenge { get; } = new(ReplyStatus.Continue, "");
}
