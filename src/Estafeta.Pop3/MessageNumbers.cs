using System.Globalization;

namespace Estafeta.Pop3;

/// <summary>Decimal arguments (RFC 1939 §3): ASCII digits only, no sign, no spaces.</summary>
internal static class MessageNumbers
{
    /// <summary>A non-negative number; one beyond int.MaxValue reads as int.MaxValue (no message has that
    /// number, and as a TOP line count it means every line). Range checks are the caller's.</summary>
    public static bool TryParse(string text, out int number)
    {
        number = 0;
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)) return false;
        var significant = text.TrimStart('0');
        // Ten digits may still fit (1000000000 to 2147483647): only a failed parse, an overflow, is "beyond".
        number = significant.Length switch
        {
            0 => 0,
            > 10 => int.MaxValue,
            _ => int.TryParse(significant, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue,
        };
        return true;
    }
}
