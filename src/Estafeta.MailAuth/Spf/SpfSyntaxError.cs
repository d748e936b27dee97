namespace Estafeta.MailAuth.Spf;

/// <summary>A syntax error in an SPF record or explanation: the text, the zero-based position of the
/// offending character and what was wrong there.</summary>
public sealed record SpfSyntaxError(string Text, int Position, string Message)
{
    /// <summary>Two lines: the text, then a caret under the position and the message.</summary>
    public string Describe() => $"{Printable(Text)}\n{new string(' ', Position)}^ {Message}";

    public override string ToString() => $"column {Position + 1}: {Message}";

    private static string Printable(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= ' ' and <= '~' ? c : '?';
            }
        });
}
