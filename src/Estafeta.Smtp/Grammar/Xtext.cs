namespace Estafeta.Smtp.Grammar;

/// <summary>xtext (RFC 3461 §4): printable ASCII but "+" and "=", and "+" followed by two hex digits
/// for any other octet.</summary>
internal static class Xtext
{
    public static bool TryDecode(ReadOnlySpan<byte> s, out byte[] decoded)
    {
        var output = new byte[s.Length];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var b = s[i];
            if (b == '+')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit((char)s[i + 1]) || !char.IsAsciiHexDigit((char)s[i + 2])) { decoded = []; return false; }
                output[n++] = (byte)(HexValue(s[i + 1]) << 4 | HexValue(s[i + 2]));
                i += 2;
            }
            else if (b is >= 33 and <= 126 && b != '=')
            {
                output[n++] = b;
            }
            else
            {
                decoded = [];
                return false;
            }
        }
        decoded = output[..n];
        return true;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
