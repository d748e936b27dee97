using Estafeta.Imap.Mime;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;
using MimeKit;

namespace Estafeta.Imap.Commands;

/// <summary>
/// SORT and UID SORT (RFC 5256): ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT (base subject), TO, each optionally REVERSE;
/// ties go by sequence number. Dates are compared in UTC; a message without a valid Date header sorts by its
/// internal date.
/// </summary>
internal static class SortCommand
{
    private sealed record Criterion(string Key, bool Reverse);

    private sealed record Row(ImapMessage Message, int Sequence, DateTimeOffset Date, string From, string To, string Cc, string Subject);

    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var view = ((SelectedState)state).Mailbox;
        var criteria = new List<Criterion>();
        t.List(() =>
        {
            var reverse = t.TryWord("REVERSE");
            if (reverse) t.Sp();
            var key = t.Keyword();
            if (key is not ("ARRIVAL" or "CC" or "DATE" or "FROM" or "SIZE" or "SUBJECT" or "TO")) t.Fail($"Unknown sort criterion {key}");
            criteria.Add(new Criterion(key, reverse));
        }, allowEmpty: false);
        t.Sp();
        var charset = Tokenizer.Utf8(t.AStringBytes()).ToUpperInvariant();
        t.Sp();
        var key = SearchParser.ReadProgram(t);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (charset is not ("UTF-8" or "US-ASCII")) return new(Completion.No("Only UTF-8 and US-ASCII are supported", "BADCHARSET (UTF-8 US-ASCII)"), state);

        var found = await new SearchEvaluator(context, view).RunAsync(key, ct).ConfigureAwait(false);
        var needsHeaders = criteria.Any(c => c.Key is not ("ARRIVAL" or "SIZE"));
        var rows = new List<Row>(found.Count);
        foreach (var message in found)
            rows.Add(await RowAsync(context, view, message, needsHeaders, ct).ConfigureAwait(false));
        rows.Sort((a, b) => Compare(a, b, criteria));

        var w = context.Writer.Raw("* SORT");
        foreach (var row in rows) w.Sp().Number(command.Uid ? row.Message.Uid : row.Sequence);
        w.Crlf();
        return new(Completion.Ok(command.FullName + " completed"), state);
    }

    private static async Task<Row> RowAsync(SessionContext context, SelectedMailbox view, ImapMessage message, bool needsHeaders, CancellationToken ct)
    {
        var seq = view.SequenceOf(message.Uid);
        if (!needsHeaders) return new Row(message, seq, message.InternalDate, "", "", "", "");
        HeaderList? headers = null;
        await using (var content = await MessageContent.LoadAsync(view.Store, message, context.Cache, ct).ConfigureAwait(false))
        {
            if (content is not null)
            {
                content.Stream.Position = 0;
                try
                {
                    headers = await HeaderList.LoadAsync(content.Stream, ct).ConfigureAwait(false);
                }
                catch (FormatException)
                {
                    // A header MimeKit cannot parse sorts as no header at all, as FETCH shows it.
                }
            }
        }
        if (headers is null) return new Row(message, seq, message.InternalDate, "", "", "", "");
        var date = message.InternalDate;
        if (headers[HeaderId.Date] is { } dateText && MimeKit.Utils.DateUtils.TryParse(dateText, out var parsed)) date = parsed;
        return new Row(message, seq, date, FirstMailbox(headers, HeaderId.From), FirstMailbox(headers, HeaderId.To),
            FirstMailbox(headers, HeaderId.Cc), BaseSubject.Of(headers[HeaderId.Subject]));
    }

    /// <summary>The local part of the first address (RFC 5256 "addr-mailbox").</summary>
    private static string FirstMailbox(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        if (index < 0) return "";
        var first = AddressParser.Parse(HeaderValues.Unfold(headers[index].RawValue)).FirstOrDefault(a => a.Mailbox is not null);
        return first?.Mailbox is { } mailbox ? System.Text.Encoding.UTF8.GetString(mailbox) : "";
    }

    private static int Compare(Row a, Row b, List<Criterion> criteria)
    {
        foreach (var c in criteria)
        {
            var result = c.Key switch
            {
                "ARRIVAL" => a.Message.InternalDate.CompareTo(b.Message.InternalDate),
                "DATE" => a.Date.UtcDateTime.CompareTo(b.Date.UtcDateTime),
                "SIZE" => a.Message.Size.CompareTo(b.Message.Size),
                "FROM" => string.Compare(a.From, b.From, StringComparison.OrdinalIgnoreCase),
                "TO" => string.Compare(a.To, b.To, StringComparison.OrdinalIgnoreCase),
                "CC" => string.Compare(a.Cc, b.Cc, StringComparison.OrdinalIgnoreCase),
                _ => string.Compare(a.Subject, b.Subject, StringComparison.OrdinalIgnoreCase),
            };
            if (result != 0) return c.Reverse ? -result : result;
        }
        return a.Sequence.CompareTo(b.Sequence);
    }
}
