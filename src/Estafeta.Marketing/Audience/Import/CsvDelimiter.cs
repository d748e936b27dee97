namespace Estafeta.Marketing.Audience;

/// <summary>
/// Guesses the delimiter of a CSV file from its first lines: of comma, semicolon (what spreadsheets write in
/// Spain), tab and pipe, the one that splits every sampled line into the same number of fields, the most
/// fields winning; quoted text is not counted.
/// </summary>
public static class CsvDelimiter
{
    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    public static char Sniff(IReadOnlyList<string> lines)
    {
        var sample = lines.Where(l => l.Trim().Length > 0).Take(20).ToList();
        if (sample.Count == 0) return ',';
        var best = ',';
        var bestScore = -1.0;
        foreach (var candidate in Candidates)
        {
            var counts = sample.Select(l => CountOutsideQuotes(l, candidate)).ToList();
            if (counts[0] == 0) continue;
            var consistent = counts.Count(c => c == counts[0]);
            var score = consistent * 1000.0 / counts.Count + counts[0];
            if (score > bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best;
    }

    private static int CountOutsideQuotes(string line, char delimiter)
    {
        var count = 0;
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) count++;
        }

        return count;
    }
}
