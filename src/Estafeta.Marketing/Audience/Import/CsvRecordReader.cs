using System.Buffers;
using System.Globalization;
using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// A CSV reader over spans of a decoded text buffer (RFC 4180 quoting with any one-character delimiter). Fields
/// are trimmed of spaces (and tabs, unless the tab is the delimiter); a field may be quoted, with <c>""</c> for a
/// quote and line breaks inside; empty lines are skipped. A row that cannot be read is returned with the reason
/// (a quote inside an unquoted field, text after a closing quote, a quote never closed, a different number of
/// fields than the header) and reading goes on at the next line. Rows are numbered by the line they start on.
/// </summary>
internal sealed class CsvRecordReader
{
    /// <summary>The longest row accepted (in characters): a longer one is almost always a quote left open.</summary>
    public const int MaxRecordLength = 4 << 20;

    private const int InitialBuffer = 1 << 20;

    private readonly TextReader reader;
    private readonly char delimiter;
    private readonly SearchValues<char> unquotedStops;
    private readonly List<string> fields = new(16);
    private readonly StringBuilder quoted = new();
    private char[] buffer = new char[InitialBuffer];
    private int start;
    private int end;
    private bool eof;
    private long line = 1;

    public CsvRecordReader(TextReader reader, char delimiter)
    {
        this.reader = reader;
        this.delimiter = delimiter;
        unquotedStops = SearchValues.Create([delimiter, '\r', '\n', '"']);
    }

    /// <summary>The header row's cells (trimmed, without a byte order mark); null until read or when the file is empty.</summary>
    public string[]? Header { get; private set; }

    /// <summary>
    /// The next row: its line number and cells (as many as the header has), or its line number and why it cannot be
    /// read. The first row read is the header (see <see cref="Header"/>); false at the end of the file.
    /// </summary>
    public bool Read(out long row, out string?[]? cells, out string? problem)
    {
        while (true)
        {
            var result = TryParse(out row, out problem);
            if (result == Outcome.End)
            {
                cells = null;
                return false;
            }

            if (result == Outcome.Empty) continue;
            if (result == Outcome.Malformed)
            {
                cells = null;
                return true;
            }

            if (Header is null)
            {
                Header = [.. fields.Select(f => f.Trim().TrimStart('\uFEFF').Trim())];
                continue;
            }

            if (fields.Count != Header.Length)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"the number of fields differs from the header's {Header.Length} (\"{Shorten(lastRaw)}\")");
                cells = null;
                return true;
            }

            cells = [.. fields];
            return true;
        }
    }

    private string lastRaw = "";

    private enum Outcome
    {
        Record,
        Empty,
        Malformed,
        End,
    }

    private Outcome TryParse(out long row, out string? problem)
    {
        problem = null;
        while (true)
        {
            row = line;
            var span = buffer.AsSpan(start, end - start);
            if (span.Length == 0 && eof) return Outcome.End;
            var consumed = Parse(span, out var lines, out var outcome, out problem);
            if (consumed < 0)
            {
                if (eof) throw new InvalidOperationException("the CSV parser asked for more text at the end of the file");
                Fill();
                continue;
            }

            if (outcome == Outcome.Record && Header is not null && fields.Count != Header.Length)
            {
                lastRaw = new string(span[..consumed]);
            }

            start += consumed;
            line += lines;
            return outcome;
        }
    }

    /// <summary>Parses one row from the start of <paramref name="span"/>; returns the characters it took, or -1 when it needs more text.</summary>
    private int Parse(ReadOnlySpan<char> span, out int lines, out Outcome outcome, out string? problem)
    {
        fields.Clear();
        lines = 0;
        problem = null;
        outcome = Outcome.Record;
        var i = 0;
        var empty = true;
        while (true)
        {
            var fieldStart = i;
            while (i < span.Length && IsSpace(span[i])) i++;
            if (i == span.Length && !eof) return -1;
            if (i < span.Length && span[i] == '"')
            {
                empty = false;
                quoted.Clear();
                var j = i + 1;
                var inner = 0;
                while (true)
                {
                    var q = span[j..].IndexOf('"');
                    if (q < 0)
                    {
                        if (!eof) return -1;
                        lines += LineBreaks(span[i..]);
                        outcome = Outcome.Malformed;
                        problem = $"a quoted field is never closed (\"{Shorten(new string(span[fieldStart..]))}\")";
                        return span.Length;
                    }

                    inner += LineBreaks(span.Slice(j, q));
                    quoted.Append(span.Slice(j, q));
                    j += q + 1;
                    if (j == span.Length && !eof) return -1;
                    if (j < span.Length && span[j] == '"')
                    {
                        quoted.Append('"');
                        j++;
                        continue;
                    }

                    break;
                }

                lines += inner;
                while (j < span.Length && IsSpace(span[j])) j++;
                if (j == span.Length && !eof) return -1;
                if (j < span.Length && span[j] != delimiter && span[j] != '\r' && span[j] != '\n')
                {
                    outcome = Outcome.Malformed;
                    var rest = SkipLine(span, j, ref lines);
                    if (rest < 0) return -1;
                    problem = $"text after the closing quote of a field (\"{Shorten(new string(span[..rest]).TrimEnd('\r', '\n'))}\")";
                    return rest;
                }

                fields.Add(quoted.ToString());
                i = j;
            }
            else
            {
                var stop = span[i..].IndexOfAny(unquotedStops);
                if (stop < 0)
                {
                    if (!eof) return -1;
                    stop = span.Length - i;
                }

                if (i + stop < span.Length && span[i + stop] == '"')
                {
                    outcome = Outcome.Malformed;
                    var rest = SkipLine(span, i + stop, ref lines);
                    if (rest < 0) return -1;
                    problem = $"a quote inside an unquoted field (\"{Shorten(new string(span[..rest]).TrimEnd('\r', '\n'))}\")";
                    return rest;
                }

                var value = span.Slice(i, stop).TrimEnd(Spaces);
                if (value.Length > 0) empty = false;
                fields.Add(value.Length == 0 ? "" : new string(value));
                i += stop;
            }

            if (i >= span.Length)
            {
                // The end of the file ends the last row.
                if (empty && fields.Count == 1) outcome = Outcome.Empty;
                return span.Length;
            }

            if (span[i] == delimiter)
            {
                empty = false;
                i++;
                continue;
            }

            // A line break ends the row: \n, \r\n or \r.
            if (span[i] == '\r')
            {
                if (i + 1 == span.Length && !eof) return -1;
                i += i + 1 < span.Length && span[i + 1] == '\n' ? 2 : 1;
            }
            else
            {
                i++;
            }

            lines++;
            if (empty && fields.Count == 1) outcome = Outcome.Empty;
            return i;
        }
    }

    /// <summary>The line breaks in quoted text, counted as they are between rows: \r\n, \n or \r alone. Counting '\n'
    /// only numbered every row after a quoted line break wrongly in a file whose lines end in \r (old Mac spreadsheets).</summary>
    private static int LineBreaks(ReadOnlySpan<char> text)
    {
        var count = text.Count('\n');
        for (var at = text.IndexOf('\r'); at >= 0; at = text.IndexOf('\r'))
        {
            if (at + 1 == text.Length || text[at + 1] != '\n') count++;
            text = text[(at + 1)..];
        }

        return count;
    }

    private ReadOnlySpan<char> Spaces => delimiter == '\t' ? " " : " \t";

    private bool IsSpace(char c) => (c == ' ' || c == '\t') && c != delimiter;

    /// <summary>The position after the line break that ends the line holding <paramref name="from"/>; -1 when more text is needed.</summary>
    private int SkipLine(ReadOnlySpan<char> span, int from, ref int lines)
    {
        var nl = span[from..].IndexOfAny('\r', '\n');
        if (nl < 0) return eof ? span.Length : -1;
        var at = from + nl;
        if (span[at] == '\r')
        {
            if (at + 1 == span.Length && !eof) return -1;
            at += at + 1 < span.Length && span[at + 1] == '\n' ? 2 : 1;
        }
        else
        {
            at++;
        }

        lines++;
        return at;
    }

    private void Fill()
    {
        var pending = end - start;
        if (pending > MaxRecordLength)
        {
            throw new Estafeta.Storage.InvalidInputException($"the row at line {line} is longer than {MaxRecordLength / (1 << 20)} MiB (is a quote left open?)");
        }

        if (start > 0)
        {
            Array.Copy(buffer, start, buffer, 0, pending);
            start = 0;
            end = pending;
        }

        if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        var read = reader.Read(buffer, end, buffer.Length - end);
        if (read == 0) eof = true;
        end += read;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s.Trim() : s[..60].Trim() + "…";
}
