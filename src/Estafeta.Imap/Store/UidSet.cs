using System.Collections;
using System.Text;

namespace Estafeta.Imap.Store;

/// <summary>An inclusive range of UIDs.</summary>
public readonly record struct UidRange(long First, long Last)
{
    public long Count => Last - First + 1;
    public bool Contains(long uid) => uid >= First && uid <= Last;
}

/// <summary>
/// A set of UIDs as sorted, disjoint, non-adjacent ranges: what a store turns into
/// <c>uid BETWEEN first AND last</c> conditions. Enumerating it yields every UID in ascending order.
/// </summary>
public sealed class UidSet : IEnumerable<long>
{
    private readonly UidRange[] _ranges;

    private UidSet(UidRange[] ranges) => _ranges = ranges;

    public static UidSet Empty { get; } = new([]);

    public IReadOnlyList<UidRange> Ranges => _ranges;
    public bool IsEmpty => _ranges.Length == 0;
    public long Count => _ranges.Sum(r => r.Count);
    public long Min => _ranges.Length == 0 ? 0 : _ranges[0].First;
    public long Max => _ranges.Length == 0 ? 0 : _ranges[^1].Last;

    public static UidSet Of(params IEnumerable<long> uids) => FromRanges(uids.Select(u => new UidRange(u, u)));

    public static UidSet Range(long first, long last) => first > last ? Empty : new([new UidRange(first, last)]);

    /// <summary>Normalises any ranges (in any order, overlapping or with First greater than Last) into a set.</summary>
    public static UidSet FromRanges(IEnumerable<UidRange> ranges)
    {
        var sorted = ranges
            .Select(r => r.First <= r.Last ? r : new UidRange(r.Last, r.First))
            .Where(r => r.Last >= 1)
            .Select(r => r.First < 1 ? r with { First = 1 } : r)
            .OrderBy(r => r.First)
            .ToList();
        var merged = new List<UidRange>(sorted.Count);
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.First <= merged[^1].Last + 1)
                merged[^1] = merged[^1] with { Last = Math.Max(merged[^1].Last, r.Last) };
            else
                merged.Add(r);
        }
        return new UidSet([.. merged]);
    }

    public bool Contains(long uid)
    {
        int lo = 0, hi = _ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (uid < _ranges[mid].First) hi = mid - 1;
            else if (uid > _ranges[mid].Last) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public IEnumerator<long> GetEnumerator()
    {
        foreach (var r in _ranges)
            for (var uid = r.First; uid <= r.Last; uid++)
                yield return uid;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The IMAP form, e.g. "1:3,7,9:12".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var r in _ranges)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(r.First.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (r.Last != r.First) text.Append(':').Append(r.Last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
