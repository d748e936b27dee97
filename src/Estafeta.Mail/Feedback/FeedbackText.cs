namespace Estafeta.Mail.Feedback;

/// <summary>
/// What the bounce and complaint parsers take from a report goes on into the outbound events (the database, the
/// logs, the screens that list them), and the report comes from anyone: its texts are made one bounded line
/// (<see cref="OneLine"/>), its addresses are kept only when they look like addresses.
/// </summary>
internal static class FeedbackText
{
    /// <summary>The longest address kept (RFC 5321 §4.5.3.1: a 64-octet local part, a 255-octet domain).</summary>
    public const int MaxAddress = 320;

    /// <summary>The address in <paramref name="value"/> (angle brackets and spaces around it removed) when it looks like
    /// one: a local part, @, a domain, nothing that ends or splits a field, not too long; else null.</summary>
    public static string? Address(string? value)
    {
        if (value is null) return null;
        var address = value.Trim().Trim('<', '>').Trim();
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Length > MaxAddress) return null;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (char.IsHighSurrogate(c) && i + 1 < address.Length && char.IsLowSurrogate(address[i + 1])) i++;
            else if (OneLine.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c is '<' or '>' or ',' or ';') return null;
        }
        return address;
    }
}
