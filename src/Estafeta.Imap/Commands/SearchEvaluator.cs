using System.Text;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Mime;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;
using MimeKit;

namespace Estafeta.Imap.Commands;

/// <summary>
/// Runs a search program over the messages of the selected mailbox. Flags, sizes, dates, UIDs and modseqs come from
/// the store's metadata; header and text keys parse the message (decoding RFC 2047 words and transfer encodings) and
/// compare case-insensitively, as RFC 9051 §6.4.4 asks.
/// </summary>
internal sealed class SearchEvaluator(SessionContext context, SelectedMailbox view)
{
    private SessionContext Context => context;
    private SelectedMailbox View => view;

    /// <summary>The messages that match, in sequence order.</summary>
    public async Task<List<ImapMessage>> RunAsync(SearchKey key, CancellationToken ct)
    {
        var result = new List<ImapMessage>();
        if (view.Count == 0) return result;
        var messages = await view.Store.GetMessagesAsync(UidSet.Range(view.Uids[0], view.MaxUid), ct).ConfigureAwait(false);
        foreach (var message in messages)
        {
            var seq = view.SequenceOf(message.Uid);
            if (seq == 0) continue;
            var item = new Candidate(message, seq, this);
            try
            {
                if (await MatchAsync(key, item, ct).ConfigureAwait(false)) result.Add(message);
            }
            finally
            {
                item.Dispose();
            }
        }
        return result;
    }

    /// <summary>One message under test; its parsed form is loaded at most once, when a key needs it.</summary>
    private sealed class Candidate(ImapMessage message, int seq, SearchEvaluator owner) : IDisposable
    {
        private MimeMessage? _parsed;
        private bool _loaded;

        public ImapMessage Message => message;
        public int Sequence => seq;

        /// <summary>The message's octets as text (UTF-8, invalid sequences replaced) when MimeKit cannot parse its header:
        /// FETCH shows such a message as a body without header, so TEXT and BODY search all of it.</summary>
        public string? Unparsed { get; private set; }

        public async Task<MimeMessage?> ParsedAsync(CancellationToken ct)
        {
            if (_loaded) return _parsed;
            _loaded = true;
            await using var content = await MessageContent.LoadAsync(owner.View.Store, message, owner.Context.Cache, ct).ConfigureAwait(false);
            if (content is null) return null;
            content.Stream.Position = 0;
            try
            {
                _parsed = await MimeMessage.LoadAsync(content.Stream, ct).ConfigureAwait(false);
            }
            catch (FormatException)
            {
                // A header MimeKit cannot parse (FETCH shows such a message as a body without header): no header key
                // matches it, TEXT and BODY look at all of its octets, and the search as a whole goes on.
                content.Stream.Position = 0;
                using var reader = new StreamReader(content.Stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false,
                    leaveOpen: true);
                Unparsed = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            }
            return _parsed;
        }

        public void Dispose() => _parsed?.Dispose();
    }

    private async Task<bool> MatchAsync(SearchKey key, Candidate c, CancellationToken ct)
    {
        var m = c.Message;
        switch (key)
        {
            case AllKey: return true;
            case FlagKey f: return m.Flags.HasFlag(f.Flag) == f.Set;
            case RecentKey: return view.IsRecent(m.Uid);
            case KeywordKey k: return m.Keywords.Contains(k.Keyword, StringComparer.OrdinalIgnoreCase) == k.Set;
            case SequenceKey { Set.IsSaved: true }:
                return view.SavedResult.Contains(m.Uid);
            case SequenceKey s:
            {
                var value = s.Uid ? m.Uid : c.Sequence;
                var largest = s.Uid ? view.MaxUid : view.Count;
                return s.Set.Resolve(largest).Any(r => r.Contains(value));
            }
            case NotKey n: return !await MatchAsync(n.Key, c, ct).ConfigureAwait(false);
            case OrKey o: return await MatchAsync(o.Left, c, ct).ConfigureAwait(false) || await MatchAsync(o.Right, c, ct).ConfigureAwait(false);
            case AndKey a:
                foreach (var k in a.Keys.OrderBy(k => k.NeedsContent))
                    if (!await MatchAsync(k, c, ct).ConfigureAwait(false)) return false;
                return true;
            case SizeKey s: return s.Larger ? m.Size > s.Size : m.Size < s.Size;
            case ModSeqKey q: return m.ModSeq >= q.ModSeq;
            case AgeKey age:
            {
                var seconds = (context.Clock.GetUtcNow() - m.InternalDate).TotalSeconds;
                return age.Older ? seconds >= age.Seconds : seconds <= age.Seconds;
            }
            case DateKey d:
            {
                DateOnly date;
                if (d.Sent)
                {
                    var parsed = await c.ParsedAsync(ct).ConfigureAwait(false);
                    if (parsed is null) return false;
                    var sent = parsed.Headers.Contains(HeaderId.Date) ? parsed.Date : m.InternalDate;
                    date = DateOnly.FromDateTime(sent.DateTime);
                }
                else date = DateOnly.FromDateTime(m.InternalDate.UtcDateTime);
                return d.Comparison switch
                {
                    DateComparison.Before => date < d.Date,
                    DateComparison.On => date == d.Date,
                    _ => date >= d.Date,
                };
            }
            case HeaderKey h:
            {
                var parsed = await c.ParsedAsync(ct).ConfigureAwait(false);
                if (parsed is null) return false;
                foreach (var header in parsed.Headers)
                {
                    if (!header.Field.Equals(h.Field, StringComparison.OrdinalIgnoreCase)) continue;
                    if (h.Value.Length == 0 || Contains(header.Value, h.Value)) return true;
                }
                return false;
            }
            case TextKey t:
            {
                var parsed = await c.ParsedAsync(ct).ConfigureAwait(false);
                if (parsed is null) return Contains(c.Unparsed, t.Value);
                if (t.IncludeHeader && parsed.Headers.Any(header => Contains(header.Value, t.Value))) return true;
                foreach (var part in parsed.BodyParts)
                    if (part is MimeKit.TextPart text && Contains(text.Text, t.Value)) return true;
                return false;
            }
            default:
                return false;
        }
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);
}
