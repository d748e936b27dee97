namespace Estafeta.Imap.Grammar;

/// <summary>The character classes of RFC 9051 §9 (formal syntax).</summary>
internal static class CharClass
{
    /// <summary>ATOM-CHAR: any CHAR except atom-specials ( "(" / ")" / "{" / SP / CTL / "%" / "*" / DQUOTE / "\" / "]" ).</summary>
    public static bool IsAtomChar(byte b) =>
        b > 0x20 && b < 0x7f && b is not ((byte)'(' or (byte)')' or (byte)'{' or (byte)'%' or (byte)'*' or (byte)'"' or (byte)'\\' or (byte)']');

    /// <summary>ASTRING-CHAR: ATOM-CHAR or "]".</summary>
    public static bool IsAStringChar(byte b) => IsAtomChar(b) || b == ']';

    /// <summary>tag: ASTRING-CHAR except "+".</summary>
    public static bool IsTagChar(byte b) => IsAStringChar(b) && b != '+';

    /// <summary>list-char: ATOM-CHAR, list-wildcards ("%" / "*") or resp-specials ("]").</summary>
    public static bool IsListChar(byte b) => IsAStringChar(b) || b is (byte)'%' or (byte)'*';

    /// <summary>A character that may appear in a flag or keyword atom (ATOM-CHAR, and "\" leading a system flag).</summary>
    public static bool IsFlagChar(byte b) => IsAtomChar(b);
}
