using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Grammar;

internal enum PathError { None, Syntax, TooLong, BadUtf8 }

/// <summary>A parsed path: the mailbox text, how many bytes the path took, and whether it has UTF-8.</summary>
internal readonly record struct ParsedPath(PathError Error, string Address = "", int Length = 0, bool NonAscii = false)
{
    public static ParsedPath Syntax { get; } = new(PathError.Syntax);
    public static ParsedPath TooLong { get; } = new(PathError.TooLong);
}

/// <summary>
/// Paths of RFC 5321 §4.1.2, with RFC 6531 UTF-8 in local parts and domains:
/// <code>
/// Path = "&lt;" [ A-d-l ":" ] Mailbox "&gt;"      A-d-l = At-domain *( "," At-domain )   (source route: parsed, dropped)
/// Mailbox = Local-part "@" ( Domain / address-literal )
/// Local-part = Dot-string / Quoted-string
/// Domain = sub-domain *("." sub-domain)      sub-domain = Let-dig [Ldh-str]
/// address-literal = "[" ( IPv4-address-literal / "IPv6:" IPv6-addr ) "]"
/// </code>
/// </summary>
internal static class PathGrammar
{
    public const int MaxLocalPart = 64;
    public const int MaxDomain = 255;
    public const int MaxPath = 256;
    private const int MaxLabel = 63;

    /// <summary>A reverse-path: a Path or "&lt;&gt;".</summary>
    public static ParsedPath ParseReversePath(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith("<>"u8)) return new ParsedPath(PathError.None, "", 2);
        return ParsePath(s);
    }

    /// <summary>A forward-path: a Path or the bare "&lt;Postmaster&gt;" (RFC 5321 §4.1.1.3), in any case.</summary>
    public static ParsedPath ParseForwardPath(ReadOnlySpan<byte> s)
    {
        const int postmaster = 10;
        if (s.Length >= postmaster + 2 && s[0] == '<' && s[postmaster + 1] == '>' && Ascii.EqualsIgnoreCase(s.Slice(1, postmaster), "Postmaster"u8))
            return new ParsedPath(PathError.None, Encoding.ASCII.GetString(s.Slice(1, postmaster)), postmaster + 2);
        return ParsePath(s);
    }

    private static ParsedPath ParsePath(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty || s[0] != '<') return ParsedPath.Syntax;
        var i = 1;
        if (i < s.Length && s[i] == '@')
        {
            i = SourceRoute(s, i);
            if (i < 0) return ParsedPath.Syntax;
        }
        var start = i;
        var at = LocalPart(s, i);
        if (at < 0 || at >= s.Length || s[at] != '@') return ParsedPath.Syntax;
        var domainStart = at + 1;
        var end = domainStart < s.Length && s[domainStart] == '[' ? AddressLiteral(s, domainStart) : Domain(s, domainStart);
        if (end < 0 || end >= s.Length || s[end] != '>') return ParsedPath.Syntax;
        if (at - start > MaxLocalPart || end - domainStart > MaxDomain || end + 1 > MaxPath) return ParsedPath.TooLong;
        var mailbox = s[start..end];
        var nonAscii = mailbox.IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0;
        // A C1 control is valid UTF-8 but no character of an address: it would also reach the replies that
        // quote the address, where control characters have no place.
        if (nonAscii && (!Utf8.IsValid(mailbox) || SmtpChars.HasC1Control(mailbox))) return new ParsedPath(PathError.BadUtf8);
        return new ParsedPath(PathError.None, Encoding.UTF8.GetString(mailbox), end + 1, nonAscii);
    }

    /// <summary>A-d-l ":" starting at an "@"; returns the index after the colon, or -1.</summary>
    private static int SourceRoute(ReadOnlySpan<byte> s, int i)
    {
        while (true)
        {
            if (i >= s.Length || s[i] != '@') return -1;
            i = Domain(s, i + 1);
            if (i < 0 || i >= s.Length) return -1;
            if (s[i] == ':') return i + 1;
            if (s[i] != ',') return -1;
            i++;
        }
    }

    /// <summary>Dot-string or Quoted-string; returns the index after it, or -1.</summary>
    private static int LocalPart(ReadOnlySpan<byte> s, int i)
    {
        if (i < s.Length && s[i] == '"')
        {
            for (i++; i < s.Length; i++)
            {
                var b = s[i];
                if (b == '"') return i + 1;
                if (b == '\\')
                {
                    if (i + 1 >= s.Length || !SmtpChars.IsPrintableAscii(s[i + 1])) return -1;
                    i++;
                }
                else if (!SmtpChars.IsQtext(b)) return -1;
            }
            return -1;
        }
        while (true)
        {
            var atomStart = i;
            while (i < s.Length && SmtpChars.IsAtext(s[i])) i++;
            if (i == atomStart) return -1;
            if (i >= s.Length || s[i] != '.') return i;
            i++;
        }
    }

    /// <summary>sub-domain *("." sub-domain); returns the index after it, or -1.</summary>
    internal static int Domain(ReadOnlySpan<byte> s, int i)
    {
        while (true)
        {
            var labelStart = i;
            while (i < s.Length && (SmtpChars.IsLetDig(s[i]) || s[i] == '-')) i++;
            if (i == labelStart || s[labelStart] == '-' || s[i - 1] == '-' || i - labelStart > MaxLabel) return -1;
            if (i >= s.Length || s[i] != '.') return i;
            i++;
        }
    }

    /// <summary>An address literal (<see cref="Smtp.AddressLiteral"/>) from <paramref name="i"/>; returns the index after
    /// "]", or -1.</summary>
    private static int AddressLiteral(ReadOnlySpan<byte> s, int i)
    {
        var close = s[i..].IndexOf((byte)']');
        return close >= 0 && Smtp.AddressLiteral.TryParse(s.Slice(i, close + 1), out _) ? i + close + 1 : -1;
    }
}
