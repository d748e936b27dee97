namespace Estafeta.MailAuth.Dns;

/// <summary>Checks on domain names as sent in DNS questions (RFC 1035 §2.3.4 limits).</summary>
public static class DnsName
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;

    /// <summary>The name without one trailing dot.</summary>
    public static string TrimTrailingDot(string name) =>
        name.Length > 1 && name[^1] == '.' ? name[..^1] : name == "." ? string.Empty : name;

    /// <summary>True when <paramref name="name"/> (an optional trailing dot allowed) can be sent in a
    /// question: labels of 1 to 63 octets, at most 253 octets in all.</summary>
    public static bool CanQuery(ReadOnlySpan<char> name)
    {
        if (name.Length > 0 && name[^1] == '.')
        {
            name = name[..^1];
        }

        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }

        var labelLength = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
                continue;
            }

            if (++labelLength > MaxLabelLength)
            {
                return false;
            }
        }

        return labelLength > 0;
    }
}
