namespace Estafeta.Mail.Authentication;

/// <summary>Phrases typical of unsolicited mail, in Spanish and English. Matched on whole words of the
/// subject and text, ignoring case and accents (see <see cref="SpamText"/>).</summary>
public static class SpamPhrases
{
    public static IReadOnlyList<string> All { get; } =
    [
        // Spanish
        "gratis", "100% gratis", "compra ahora", "compre ahora", "oferta por tiempo limitado", "oferta exclusiva",
        "haga clic aquí", "haz clic aquí", "pulse aquí", "gane dinero", "dinero fácil", "sin costo alguno",
        "usted ha ganado", "has ganado", "ganador", "actúe ahora", "última oportunidad", "no se lo pierda",
        "préstamo rápido", "sin riesgo", "garantizado", "millones de euros",
        // English
        "free", "buy now", "order now", "click here", "limited time offer", "act now", "you have won", "winner",
        "risk free", "100% free", "make money fast", "earn money", "no cost", "guaranteed", "cash bonus",
        "urgent response", "once in a lifetime", "miracle cure",
    ];

    private static readonly (string Phrase, string Normalized)[] Normalized =
        [.. All.Select(p => (p, SpamText.Normalize(p))).DistinctBy(p => p.Item2)];

    /// <summary>The phrases found in <paramref name="normalizedText"/> (already passed through <see cref="SpamText.Normalize"/>).</summary>
    public static IReadOnlyList<string> Find(string normalizedText) =>
        [.. Normalized.Where(p => normalizedText.Contains(p.Normalized, StringComparison.Ordinal)).Select(p => p.Phrase)];
}
