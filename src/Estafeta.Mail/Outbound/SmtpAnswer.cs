namespace Estafeta.Mail.Outbound;

/// <summary>
/// A remote server's answer (or a local verdict phrased as one): the reply code, the enhanced status code
/// (RFC 3463; derived from the reply code when the server gave none) and the text.
/// </summary>
public sealed record SmtpAnswer(int Code, string Status, string Text)
{
    public bool IsSuccess => Code is >= 200 and < 300;
    public bool IsTemporary => Code is >= 400 and < 500;
    public bool IsPermanent => Code >= 500;

    /// <summary>As it would appear on the wire: "550 5.1.1 No such user".</summary>
    public override string ToString() => Text.StartsWith(Status, StringComparison.Ordinal) ? $"{Code} {Text}" : $"{Code} {Status} {Text}";

    /// <summary>The longest text kept: a remote server's reply goes to log lines, database rows and DSNs.</summary>
    public const int MaxText = 1000;

    /// <summary>Builds an answer from a reply code and its text; an enhanced code at the start of the text is taken out.</summary>
    public static SmtpAnswer From(int code, string? text)
    {
        var t = Clean(text ?? "");
        if (EnhancedStatus.TryRead(t, out var status, out var rest) && status[0] == (char)('0' + code / 100)) return new SmtpAnswer(code, status, rest);
        return new SmtpAnswer(code, EnhancedStatus.Default(code), t);
    }

    public static SmtpAnswer Temporary(string status, string text) => new(451, status, Clean(text));
    public static SmtpAnswer Permanent(string status, string text) => new(550, status, Clean(text));

    /// <summary>A text fit for one log line, a database row and a DSN header (<see cref="OneLine"/>).</summary>
    private static string Clean(string text) => OneLine.Of(text, MaxText) ?? "";
}
