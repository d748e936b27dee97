using System.Globalization;
using System.Text;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// A set of UIDs given as inclusive ranges, turned into one SQL condition: up to <see cref="MaxSqlRanges"/>
/// ranges become <c>uid BETWEEN</c> terms; more (a sequence set over a mailbox with many gaps) become one
/// <c>BETWEEN</c> over the whole span, and <see cref="Contains"/> drops the rows in between after reading.
/// Either way one statement answers, however many ranges the client sent.
/// </summary>
internal sealed class UidFilter
{
    private const int MaxSqlRanges = 64;

    private readonly (long First, long Last)[] ranges;

    private UidFilter((long First, long Last)[] ranges) => this.ranges = ranges;

    /// <summary>Everything; no condition.</summary>
    public static UidFilter All { get; } = new([(1, long.MaxValue)]);

    public bool IsEmpty => ranges.Length == 0;

    /// <summary>Sorts and merges the ranges (in any order, overlapping, or with First above Last).</summary>
    public static UidFilter Of(IEnumerable<(long First, long Last)>? uids)
    {
        if (uids is null)
        {
            return All;
        }

        var merged = new List<(long First, long Last)>();
        foreach (var (first, last) in uids
            .Select(r => r.First <= r.Last ? r : (r.Last, r.First))
            .Where(r => r.Item2 >= 1)
            .Select(r => (First: Math.Max(1, r.Item1), Last: r.Item2))
            .OrderBy(r => r.First))
        {
            if (merged.Count > 0 && first <= merged[^1].Last + 1)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, last));
            }
            else
            {
                merged.Add((first, last));
            }
        }

        return new UidFilter([.. merged]);
    }

    /// <summary>" AND (...)" over <paramref name="column"/>, with its values added to <paramref name="parameters"/>.</summary>
    public string Sql(string column, DynamicParameters parameters)
    {
        if (ReferenceEquals(this, All))
        {
            return "";
        }

        if (ranges.Length > MaxSqlRanges)
        {
            parameters.Add("uidMin", ranges[0].First);
            parameters.Add("uidMax", ranges[^1].Last);
            return $" AND {column} BETWEEN @uidMin AND @uidMax";
        }

        var sql = new StringBuilder(" AND (");
        for (var i = 0; i < ranges.Length; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            if (i > 0)
            {
                sql.Append(" OR ");
            }

            sql.Append(column).Append(" BETWEEN @uidFirst").Append(n).Append(" AND @uidLast").Append(n);
            parameters.Add("uidFirst" + n, ranges[i].First);
            parameters.Add("uidLast" + n, ranges[i].Last);
        }

        return sql.Append(')').ToString();
    }

    public bool Contains(long uid)
    {
        int lo = 0, hi = ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (uid < ranges[mid].First)
            {
                hi = mid - 1;
            }
            else if (uid > ranges[mid].Last)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
