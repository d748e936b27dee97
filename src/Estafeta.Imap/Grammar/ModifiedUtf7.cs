using System.Text;

namespace Estafeta.Imap.Grammar;

/// <summary>The modified UTF-7 of mailbox names for IMAP4rev1 clients (RFC 3501 §5.1.3): printable ASCII stands
/// for itself except "&amp;" ("&amp;-"); other characters are UTF-16 in modified base64 ("," for "/") between "&amp;" and "-".</summary>
internal static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string value)
    {
        var result = new StringBuilder(value.Length);
        var pending = new List<char>();
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~')
            {
                Flush(result, pending);
                result.Append(c == '&' ? "&-" : c.ToString());
            }
            else
            {
                pending.Add(c);
            }
        }
        Flush(result, pending);
        return result.ToString();
    }

    /// <summary>Decodes; false when the text is not valid modified UTF-7 (e.g. a bare "&amp;" or padding).</summary>
    public static bool TryDecode(string value, out string decoded)
    {
        decoded = value;
        if (!value.Contains('&')) return true;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c > '~' || c < ' ') return false;
            if (c != '&')
            {
                result.Append(c);
                continue;
            }
            var end = value.IndexOf('-', i + 1);
            if (end < 0) return false;
            if (end == i + 1)
            {
                result.Append('&');
                i = end;
                continue;
            }
            var bits = 0;
            var bitCount = 0;
            var utf16 = new List<char>();
            for (var j = i + 1; j < end; j++)
            {
                var index = Alphabet.IndexOf(value[j], StringComparison.Ordinal);
                if (index < 0) return false;
                bits = (bits << 6) | index;
                bitCount += 6;
                if (bitCount >= 16)
                {
                    bitCount -= 16;
                    utf16.Add((char)((bits >> bitCount) & 0xffff));
                }
            }
            if (bitCount >= 6 || (bits & ((1 << bitCount) - 1)) != 0 || utf16.Count == 0) return false;
            var text = new string([.. utf16]);
            if (text.Any(ch => ch is >= ' ' and <= '~')) return false;
            result.Append(text);
            i = end;
        }
        decoded = result.ToString();
        return true;
    }

    private static void Flush(StringBuilder result, List<char> pending)
    {
        if (pending.Count == 0) return;
        var bytes = Encoding.BigEndianUnicode.GetBytes([.. pending]);
        result.Append('&');
        var bits = 0;
        var bitCount = 0;
        foreach (var b in bytes)
        {
            bits = (bits << 8) | b;
            bitCount += 8;
            while (bitCount >= 6)
            {
                bitCount -= 6;
                result.Append(Alphabet[(bits >> bitCount) & 0x3f]);
            }
        }
        if (bitCount > 0) result.Append(Alphabet[(bits << (6 - bitCount)) & 0x3f]);
        result.Append('-');
        pending.Clear();
    }
}
