using System.Collections.Concurrent;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Suggests the provider a person most likely meant when the domain is one or two keystrokes away from a
/// common one (gmial.com → gmail.com, hotmial.es → hotmail.es, yaho.com → yahoo.com). Distances are
/// Damerau–Levenshtein (a swap of two neighbours counts as one edit).
/// </summary>
public static class ProviderTypos
{
    // The providers' own country domains are listed too: without them a real hotmail.it or outlook.fr address, two
    // keystrokes from hotmail.fr or outlook.es, was told it meant those.
    private static readonly string[] Providers =
    [
        "gmail.com", "googlemail.com",
        "hotmail.com", "hotmail.es", "hotmail.co.uk", "hotmail.fr", "hotmail.it", "hotmail.de", "hotmail.be", "hotmail.nl",
        "hotmail.com.ar", "hotmail.com.br", "outlook.com", "outlook.es", "outlook.fr", "outlook.it", "outlook.de",
        "outlook.com.br", "live.com", "live.es", "live.fr", "live.it", "live.de", "live.co.uk", "live.com.mx", "live.com.ar",
        "msn.com", "yahoo.com", "yahoo.es", "yahoo.fr", "yahoo.it", "yahoo.de", "yahoo.co.uk", "yahoo.com.mx",
        "yahoo.com.ar", "yahoo.com.br", "ymail.com", "rocketmail.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "protonmail.com", "proton.me", "gmx.com", "gmx.es", "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de",
        "mail.com", "yandex.com", "zoho.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "wanadoo.fr", "libero.it",
        "virgilio.it", "tiscali.it", "telefonica.net", "movistar.es", "orange.es", "vodafone.es", "ono.com", "terra.es",
        "jazztel.es", "euskaltel.net", "prodigy.net.mx", "uol.com.br", "bol.com.br", "terra.com.br",
    ];

    private static readonly HashSet<string> Known = new(Providers, StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider domain meant, or null when the domain is a known provider or nothing is close.</summary>
    public static string? Suggest(string domain)
    {
        if (Suggested.TryGetValue(domain, out var known)) return known.Length == 0 ? null : known;
        var suggestion = Closest(domain);
        if (Suggested.Count >= 4096) Suggested.Clear();
        Suggested[domain] = suggestion ?? "";
        return suggestion;
    }

    // Per domain, the suggestion ("" for none): imports ask for many addresses of few domains. Bounded; cleared when full.
    private static readonly ConcurrentDictionary<string, string> Suggested = new(StringComparer.Ordinal);

    private static string? Closest(string domain)
    {
        if (Known.Contains(domain))
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        var limit = domain.Length <= 9 ? 1 : 2;
        foreach (var provider in Providers)
        {
            if (Math.Abs(provider.Length - domain.Length) > limit)
            {
                continue;
            }

            var distance = Distance(domain, provider);
            if (distance <= limit && distance < bestDistance)
            {
                best = provider;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
