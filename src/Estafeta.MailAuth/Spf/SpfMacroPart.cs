namespace Estafeta.MailAuth.Spf;

/// <summary>One piece of a macro-string: literal text, or a macro-expand
/// <c>%{letter digits r delimiters}</c> (RFC 7208 §7.1).</summary>
internal readonly record struct SpfMacroPart(string? Literal, char Letter, bool UrlEscape, int Digits, bool Reverse, string? Delimiters)
{
    public bool IsMacro => Literal is null;

    public static SpfMacroPart Text(string literal) => new(literal, '\0', false, 0, false, null);

    /// <summary>True when the value is used as is: no part count, no reversal, only "." delimiters.</summary>
    public bool TakesWholeValue => Digits == 0 && !Reverse && (Delimiters is null || Delimiters == ".");
}
