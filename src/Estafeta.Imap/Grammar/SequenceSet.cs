using System.Globalization;
using System.Text;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Grammar;

/// <summary>
/// A sequence-set as the client wrote it (RFC 9051 §9): numbers and ranges, where "*" stands for the
/// largest number in use (<see cref="Star"/>), or "$", the messages the last SEARCH RETURN (SAVE) found
/// (<see cref="Saved"/>, RFC 5182, part of IMAP4rev2). Whether the numbers are message sequence numbers or UIDs
/// depends on the command; <see cref="Resolve"/> turns numbers into concrete ranges, and the selected mailbox
/// gives "$" its messages.
/// </summary>
internal sealed record SequenceSet(IReadOnlyList<(long First, long Last)> Items)
{
    public const long Star = long.MaxValue;

    /// <summary>"$": the saved search result.</summary>
    public static SequenceSet Saved { get; } = new([]) { IsSaved = true };

    public bool IsSaved { get; private init; }

    /// <summary>The ranges with "*" replaced by <paramref name="largest"/> and each range ordered. With nothing in
    /// use (<paramref name="largest"/> 0), "*" matches nothing.</summary>
    public IEnumerable<UidRange> Resolve(long largest)
    {
        foreach (var (first, last) in Items)
        {
            var a = first == Star ? largest : first;
            var b = last == Star ? largest : last;
            if (a == 0 || b == 0) continue;
            yield return a <= b ? new UidRange(a, b) : new UidRange(b, a);
        }
    }

    public bool UsesStar => Items.Any(i => i.First == Star || i.Last == Star);

    public override string ToString()
    {
        if (IsSaved) return "$";
        var text = new StringBuilder();
        foreach (var (first, last) in Items)
        {
            if (text.Length > 0) text.Append(',');
            text.Append(Format(first));
            if (last != first) text.Append(':').Append(Format(last));
        }
        return text.ToString();
    }

    private static string Format(long n) => n == Star ? "*" : n.ToString(CultureInfo.InvariantCulture);
}
