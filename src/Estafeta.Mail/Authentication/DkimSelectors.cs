using System.Globalization;

namespace Estafeta.Mail.Authentication;

/// <summary>Dated selectors: <c>e</c> + year and month + <c>r</c> (RSA) or <c>e</c> (Ed25519), e.g.
/// <c>e202611r</c>; a second rotation in the same month adds a number (<c>e202611r2</c>).</summary>
public static class DkimSelectors
{
    public static string Next(DateTimeOffset now, bool rsa, IReadOnlyCollection<string> taken)
    {
        var stem = "e" + now.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture) + (rsa ? "r" : "e");
        if (!taken.Contains(stem, StringComparer.OrdinalIgnoreCase)) return stem;
        for (var n = 2; ; n++)
        {
            var candidate = stem + n.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(candidate, StringComparer.OrdinalIgnoreCase)) return candidate;
        }
    }
}
