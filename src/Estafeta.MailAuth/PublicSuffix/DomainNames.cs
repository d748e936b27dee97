namespace Estafeta.MailAuth.PublicSuffix;

/// <summary>Small helpers on domain names as DMARC compares them: lower case, no trailing dot.</summary>
public static class DomainNames
{
    public static string Normalize(string domain)
    {
        var name = domain.Trim();
        if (name.EndsWith('.')) name = name[..^1];
        return name.ToLowerInvariant();
    }

    /// <summary>True for a name made of labels of letters, digits, "-" and "_" (or non-ASCII
    /// characters of an internationalized name), 1 to 63 characters each.</summary>
    public static bool IsValid(string domain)
    {
        var name = Normalize(domain);
        if (name.Length is 0 or > 253) return false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63) return false;
            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' && c < 0x80) return false;
            }
        }
        return true;
    }

    public static int LabelCount(string domain) => domain.Length == 0 ? 0 : domain.Count(c => c == '.') + 1;

    /// <summary>The rightmost <paramref name="count"/> labels of <paramref name="domain"/>.</summary>
    public static string RightmostLabels(string domain, int count)
    {
        var position = domain.Length;
        for (var i = 0; i < count; i++)
        {
            position = domain.LastIndexOf('.', position - 1);
            if (position < 0) return domain;
            if (position == 0) return domain;
        }
        return domain[(position + 1)..];
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="parent"/> or below it.</summary>
    public static bool IsAtOrBelow(string name, string parent) =>
        name.Equals(parent, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);
}
