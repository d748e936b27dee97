using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Web.Api;

/// <summary>Opaque pagination cursors: the last id of a page, base64url-encoded. Pages hold 1 to 500 items (default 50).</summary>
public static class Cursor
{
    public static long After(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return 0;
        try
        {
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')));
            if (text.StartsWith("id:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
        }
        catch (FormatException)
        {
        }

        throw new InvalidInputException("the cursor is not one this API gave out");
    }

    public static string? Next(long lastId, int count, int limit) =>
        count < limit ? null : Convert.ToBase64String(Encoding.ASCII.GetBytes("id:" + lastId.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static int Limit(int? limit)
    {
        var n = limit ?? 50;
        if (n is < 1 or > 500) throw new InvalidInputException("limit must be from 1 to 500");
        return n;
    }
}

/// <summary>One page of a listing: the items and the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);
