using System.Collections.Concurrent;

namespace Estafeta.MailAuth.Spf;

/// <summary>Parsed records keyed by their text, so a record is parsed once however often it is met.
/// When full it starts over: a cache of texts seen is cheap to refill.</summary>
internal sealed class SpfRecordCache(int capacity)
{
    private readonly ConcurrentDictionary<string, SpfParseResult> _parsed = new(StringComparer.Ordinal);

    public SpfParseResult Parse(string text)
    {
        if (_parsed.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var result = SpfRecordParser.Parse(text);
        if (capacity > 0)
        {
            if (_parsed.Count >= capacity)
            {
                _parsed.Clear();
            }

            _parsed[text] = result;
        }

        return result;
    }
}
