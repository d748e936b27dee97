using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Estafeta.Pop3;

/// <summary>
/// The command grammar (RFC 1939 §3, RFC 2449 §3): a keyword of ASCII letters, case-insensitive, then
/// optionally one space and the arguments. Arguments are UTF-8 text without control characters; they
/// keep their spaces so that PASS can take a password containing spaces.
/// </summary>
internal static class CommandParser
{
    /// <summary>Longer than any keyword this server knows; a longer word is not a command.</summary>
    public const int MaxKeywordLength = 16;

    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out Pop3Command? command, out string error)
    {
        command = null;
        var space = line.IndexOf((byte)' ');
        var keyword = space < 0 ? line : line[..space];
        if (keyword.Length == 0)
        {
            error = line.Length == 0 ? "Empty command" : "A command starts with its keyword";
            return false;
        }
        if (keyword.Length > MaxKeywordLength || !IsLetters(keyword))
        {
            error = "Unknown command";
            return false;
        }
        var rest = space < 0 ? [] : line[(space + 1)..];
        if (!Utf8.IsValid(rest) || rest.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || rest.IndexOf((byte)0x7F) >= 0 || HasC1Control(rest))
        {
            error = "Arguments must be UTF-8 text without control characters";
            return false;
        }
        command = new Pop3Command(Encoding.ASCII.GetString(keyword).ToUpperInvariant(), Encoding.UTF8.GetString(rest));
        error = "";
        return true;
    }

    /// <summary>The C1 controls (U+0080 to U+009F, such as NEL) are control characters too. In valid UTF-8 they
    /// are exactly the pairs 0xC2 0x80-0x9F, since 0xC2 is only ever a lead byte.</summary>
    private static bool HasC1Control(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i + 1 < utf8.Length; i++)
            if (utf8[i] == 0xC2 && utf8[i + 1] is >= 0x80 and <= 0x9F) return true;
        return false;
    }

    private static bool IsLetters(ReadOnlySpan<byte> word)
    {
        foreach (var b in word)
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z'))) return false;
        return true;
    }
}
