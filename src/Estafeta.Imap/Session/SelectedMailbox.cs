using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Session;

/// <summary>
/// The session's view of its selected mailbox: the UIDs it has announced (their positions are the message
/// sequence numbers), the modseq up to which it has told the client about changes, and expunges that happened
/// but may not be announced yet (RFC 9051 §7.5.1: not during FETCH, STORE or SEARCH).
/// </summary>
internal sealed class SelectedMailbox
{
    private readonly List<long> _uids;
    private readonly SortedSet<long> _pendingExpunges = [];
    private readonly Dictionary<long, long> _reported = [];
    private readonly HashSet<string> _keywords;

    // The UIDs that are \Recent for this session (RFC 3501 §2.3.2): claimed when it selected the mailbox or
    // learnt of the messages, and never for IMAP4rev2, which has no \Recent.
    private readonly HashSet<long> _recent = [];

    public SelectedMailbox(IImapMailbox mailbox, bool readOnly, MailboxSnapshot snapshot)
    {
        Store = mailbox;
        ReadOnly = readOnly;
        _uids = [.. snapshot.Uids];
        KnownModSeq = snapshot.HighestModSeq;
        UidNext = snapshot.UidNext;
        _keywords = new HashSet<string>(snapshot.Keywords, StringComparer.OrdinalIgnoreCase);
    }

    public IImapMailbox Store { get; }
    public bool ReadOnly { get; }
    public string Name => Store.Name;
    public long UidValidity => Store.UidValidity;

    /// <summary>Changes up to this modseq have been announced (or are pending as expunges).</summary>
    public long KnownModSeq { get; private set; }

    public long UidNext { get; private set; }
    public int Count => _uids.Count;
    public IReadOnlyList<long> Uids => _uids;
    public IReadOnlyCollection<string> Keywords => _keywords;
    public long MaxUid => _uids.Count == 0 ? 0 : _uids[^1];

    /// <summary>The number of messages in the view that are \Recent for this session.</summary>
    public int RecentCount => _recent.Count;

    public bool IsRecent(long uid) => _recent.Contains(uid);

    /// <summary>
    /// Takes \Recent for <paramref name="added"/> (UIDs that just entered the view, ascending): those no other
    /// session had claimed become recent for this one. A read-only session (EXAMINE) sees the unclaimed ones as
    /// recent without taking the flag away from the next session that selects the mailbox (RFC 3501 §6.3.2).
    /// IMAP4rev2 has no \Recent (RFC 9051 Appendix E), so such a session claims nothing.
    /// </summary>
    public async ValueTask ClaimRecentAsync(SessionContext context, IReadOnlyList<long> added, CancellationToken ct)
    {
        if (context.Rev2 || added.Count == 0) return;
        var previous = await Store.ClaimRecentAsync(added[^1], claim: !ReadOnly, ct).ConfigureAwait(false);
        for (var i = added.Count - 1; i >= 0 && added[i] > previous; i--) _recent.Add(added[i]);
    }

    /// <summary>The messages the last SEARCH RETURN (SAVE) in this selection found, as UIDs: what "$" stands for
    /// (RFC 5182). A new selection starts with none; a failed SEARCH ... SAVE empties it.</summary>
    public UidSet SavedResult { get; set; } = UidSet.Empty;

    /// <summary>The message sequence number of a UID, or 0 when it is not in the view.</summary>
    public int SequenceOf(long uid)
    {
        var index = _uids.BinarySearch(uid);
        return index < 0 ? 0 : index + 1;
    }

    public bool IsExpungePending(long uid) => _pendingExpunges.Contains(uid);

    /// <summary>
    /// The UIDs a sequence set names. For UIDs, "*" is the largest UID in the view, and UIDs above it (not yet
    /// announced) are left out. For sequence numbers, a number above the message count is an error (null).
    /// </summary>
    public UidSet? Resolve(SequenceSet set, bool uid)
    {
        // "$" names the same messages to UID and sequence-number commands alike, less those expunged since.
        if (set.IsSaved) return UidSet.Of(SavedResult.Where(u => _uids.BinarySearch(u) >= 0));
        if (uid)
        {
            var max = MaxUid;
            var ranges = set.Resolve(max).Select(r => r with { Last = Math.Min(r.Last, max) }).Where(r => r.First <= r.Last);
            return UidSet.FromRanges(ranges);
        }
        var result = new List<UidRange>();
        foreach (var range in set.Resolve(_uids.Count))
        {
            if (range.Last > _uids.Count) return null;
            for (var seq = range.First; seq <= range.Last; seq++)
            {
                var value = _uids[(int)seq - 1];
                if (result.Count > 0 && result[^1].Last == value - 1) result[^1] = result[^1] with { Last = value };
                else result.Add(new UidRange(value, value));
            }
        }
        return UidSet.FromRanges(result);
    }

    /// <summary>Remembers that this session already told the client about a message's state at this modseq
    /// (after its own STORE), so the next synchronisation does not repeat it.</summary>
    public void MarkReported(long uid, long modSeq) => _reported[uid] = modSeq;

    /// <summary>Adds keywords that came into use; returns true when the FLAGS response must be sent again.</summary>
    public bool AddKeywords(IEnumerable<string> keywords)
    {
        var added = false;
        foreach (var keyword in keywords) added |= _keywords.Add(keyword);
        return added;
    }

    /// <summary>Removes UIDs this session expunged itself, announcing them (EXPUNGE or VANISHED) at once.</summary>
    public void AnnounceExpunged(SessionContext context, IEnumerable<long> uids)
    {
        var gone = uids.Where(u => SequenceOf(u) > 0).Order().ToList();
        foreach (var uid in gone) _pendingExpunges.Add(uid);
        Flush(context, gone);
    }

    /// <summary>
    /// Tells the client what changed since it last heard: expunges (only when <paramref name="allowExpunges"/>),
    /// new messages (EXISTS), new keywords (FLAGS) and flag changes (FETCH).
    /// </summary>
    public async ValueTask SyncAsync(SessionContext context, bool allowExpunges, CancellationToken ct)
    {
        var added = new List<long>();
        var flagChanges = new List<ImapMessage>();
        if (Store.HighestModSeq > KnownModSeq)
        {
            var changes = await Store.GetChangesAsync(KnownModSeq, ct).ConfigureAwait(false);
            var vanished = changes.Vanished;
            if (vanished is null)
            {
                var existing = new HashSet<long>(await Store.GetUidsAsync(ct).ConfigureAwait(false));
                vanished = [.. _uids.Where(u => !existing.Contains(u))];
            }
            foreach (var uid in vanished)
                if (SequenceOf(uid) > 0) _pendingExpunges.Add(uid);

            foreach (var message in changes.Changed)
            {
                if (message.Uid > MaxUid)
                {
                    _uids.Add(message.Uid);
                    added.Add(message.Uid);
                }
                else if (SequenceOf(message.Uid) > 0 && !_pendingExpunges.Contains(message.Uid)
                    && !(_reported.TryGetValue(message.Uid, out var seen) && seen >= message.ModSeq))
                {
                    flagChanges.Add(message);
                }
            }
            if (AddKeywords(changes.Changed.SelectMany(m => m.Keywords))) WriteFlags(context.Writer);
            KnownModSeq = Math.Max(KnownModSeq, changes.HighestModSeq);
            UidNext = Math.Max(UidNext, changes.UidNext);
            _reported.Clear();
            await ClaimRecentAsync(context, added, ct).ConfigureAwait(false);
        }

        if (allowExpunges && _pendingExpunges.Count > 0) Flush(context, [.. _pendingExpunges]);
        if (added.Count > 0)
        {
            context.Writer.Raw("* ").Number(_uids.Count).Raw(" EXISTS\r\n");
            if (!context.Rev2) context.Writer.Raw("* ").Number(_recent.Count).Raw(" RECENT\r\n");
        }
        foreach (var message in flagChanges)
        {
            var seq = SequenceOf(message.Uid);
            if (seq == 0) continue;
            WriteFlagsFetch(context, seq, message);
        }
    }

    /// <summary>"* n FETCH (UID u FLAGS (...) [MODSEQ (m)])" for a message whose flags changed.</summary>
    public void WriteFlagsFetch(SessionContext context, int seq, ImapMessage message)
    {
        var w = context.Writer;
        w.Raw("* ").Number(seq).Raw(" FETCH (UID ").Number(message.Uid).Raw(" FLAGS ");
        FlagText.Write(w, message.Flags, message.Keywords, IsRecent(message.Uid));
        if (context.CondStore) w.Raw(" MODSEQ (").Number(message.ModSeq).Raw(")");
        w.Raw(")\r\n");
    }

    /// <summary>The FLAGS and PERMANENTFLAGS responses of SELECT, also sent again when a keyword comes into use.</summary>
    public void WriteFlags(ResponseWriter w)
    {
        var keywords = _keywords.Order(StringComparer.Ordinal).ToList();
        w.Raw("* FLAGS (").Raw(FlagText.SystemFlags);
        foreach (var k in keywords) w.Sp().Raw(k);
        w.Raw(")\r\n");
        if (ReadOnly)
        {
            w.Raw("* OK [PERMANENTFLAGS ()] Read-only mailbox\r\n");
            return;
        }
        w.Raw("* OK [PERMANENTFLAGS (").Raw(FlagText.SystemFlags);
        foreach (var k in keywords) w.Sp().Raw(k);
        w.Raw(" \\*)] Flags permitted\r\n");
    }

    private void Flush(SessionContext context, IReadOnlyList<long> uids)
    {
        if (uids.Count == 0) return;
        var w = context.Writer;
        if (context.QResync)
        {
            var set = UidSet.Of(uids.Where(u => SequenceOf(u) > 0));
            foreach (var uid in set)
            {
                _uids.RemoveAt(_uids.BinarySearch(uid));
                _recent.Remove(uid);
            }
            foreach (var uid in uids) _pendingExpunges.Remove(uid);
            if (!set.IsEmpty) w.Raw("* VANISHED ").Raw(set.ToString()).Crlf();
            return;
        }
        foreach (var uid in uids)
        {
            _pendingExpunges.Remove(uid);
            var seq = SequenceOf(uid);
            if (seq == 0) continue;
            _uids.RemoveAt(seq - 1);
            _recent.Remove(uid);
            w.Raw("* ").Number(seq).Raw(" EXPUNGE\r\n");
        }
    }
}
