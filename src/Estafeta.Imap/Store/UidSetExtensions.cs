namespace Estafeta.Imap.Store;

/// <summary>Set arithmetic the engine needs for QRESYNC and CHANGEDSINCE.</summary>
public static class UidSetExtensions
{
    /// <summary>The UIDs of <paramref name="set"/> that are not in <paramref name="sortedExisting"/> (ascending),
    /// computed range by range without enumerating the gaps.</summary>
    public static UidSet Except(this UidSet set, IReadOnlyList<long> sortedExisting)
    {
        var result = new List<UidRange>();
        foreach (var range in set.Ranges)
        {
            var next = range.First;
            var index = LowerBound(sortedExisting, range.First);
            for (; index < sortedExisting.Count && sortedExisting[index] <= range.Last; index++)
            {
                var uid = sortedExisting[index];
                if (uid > next) result.Add(new UidRange(next, uid - 1));
                next = uid + 1;
            }
            if (next <= range.Last) result.Add(new UidRange(next, range.Last));
        }
        return UidSet.FromRanges(result);
    }

    /// <summary>The UIDs in both sets.</summary>
    public static UidSet Intersect(this UidSet set, UidSet other)
    {
        var result = new List<UidRange>();
        int i = 0, j = 0;
        while (i < set.Ranges.Count && j < other.Ranges.Count)
        {
            var a = set.Ranges[i];
            var b = other.Ranges[j];
            var first = Math.Max(a.First, b.First);
            var last = Math.Min(a.Last, b.Last);
            if (first <= last) result.Add(new UidRange(first, last));
            if (a.Last < b.Last) i++; else j++;
        }
        return UidSet.FromRanges(result);
    }

    private static int LowerBound(IReadOnlyList<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
