using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// SEARCH and UID SEARCH (RFC 9051 §6.4.4) with CHARSET UTF-8, MODSEQ (RFC 7162 §3.1.5), ESEARCH results
/// (RFC 4731: RETURN (MIN MAX COUNT ALL); always for IMAP4rev2 clients) and the saved result (RFC 5182, part of
/// IMAP4rev2): RETURN (SAVE) keeps what was found for "$"; alone it answers with no ESEARCH; with MIN or MAX (and
/// neither ALL nor COUNT) it keeps only those messages (§2.4); a SEARCH ... SAVE that fails empties it (§2.1).
/// </summary>
internal static class SearchCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var view = ((SelectedState)state).Mailbox;
        List<string>? returns = null;
        var save = false;
        if (t.TryWord("RETURN"))
        {
            returns = [];
            t.Sp();
            t.List(() =>
            {
                var option = t.Keyword();
                if (option is not ("MIN" or "MAX" or "COUNT" or "ALL" or "SAVE")) t.Fail($"Unknown RETURN option {option}");
                else if (option == "SAVE") save = true;
                else returns.Add(option);
            });
            t.Sp();
        }
        var charsetKnown = SearchParser.ReadCharset(t);
        var key = SearchParser.ReadProgram(t);
        t.ExpectEnd();
        if (t.Error is { } error)
        {
            if (save) view.SavedResult = UidSet.Empty;
            return new(Completion.Bad(error), state);
        }
        if (!charsetKnown)
        {
            if (save) view.SavedResult = UidSet.Empty;
            return new(Completion.No("Only UTF-8 and US-ASCII are supported", "BADCHARSET (UTF-8 US-ASCII)"), state);
        }
        var usesModSeq = Uses<ModSeqKey>(key);
        if (usesModSeq) context.CondStore = true;

        var found = await new SearchEvaluator(context, view).RunAsync(key, ct).ConfigureAwait(false);
        var numbers = found.Select(m => command.Uid ? m.Uid : view.SequenceOf(m.Uid)).ToList();
        var highest = usesModSeq && found.Count > 0 ? found.Max(m => m.ModSeq) : (long?)null;
        if (save) view.SavedResult = Saved(found.Select(m => m.Uid).ToList(), returns!);
        if (save && returns!.Count == 0) return new(Completion.Ok(command.FullName + " completed, result saved"), state);
        if (returns is not null || context.Rev2)
            WriteEsearch(context.Writer, command, returns is null || returns.Count == 0 ? ["ALL"] : returns, numbers, highest);
        else
        {
            var w = context.Writer.Raw("* SEARCH");
            foreach (var n in numbers) w.Sp().Number(n);
            if (highest is { } h) w.Raw(" (MODSEQ ").Number(h).Raw(")");
            w.Crlf();
        }
        return new(Completion.Ok(command.FullName + " completed"), state);
    }

    /// <summary>What SAVE keeps (RFC 5182 §2.4): with MIN and/or MAX but neither ALL nor COUNT, only the lowest and/or
    /// highest message found; otherwise all of them.</summary>
    private static UidSet Saved(List<long> uids, List<string> returns)
    {
        if (uids.Count == 0 || returns.Contains("ALL") || returns.Contains("COUNT") || !(returns.Contains("MIN") || returns.Contains("MAX")))
            return UidSet.Of(uids);
        var kept = new List<long>();
        if (returns.Contains("MIN")) kept.Add(uids.Min());
        if (returns.Contains("MAX")) kept.Add(uids.Max());
        return UidSet.Of(kept.Distinct().Order());
    }

    /// <summary>"* ESEARCH (TAG "a1") UID MIN 2 MAX 9 COUNT 3 ALL 2,5,9".</summary>
    public static void WriteEsearch(ResponseWriter w, ImapCommand command, IReadOnlyList<string> returns, List<long> numbers, long? highest)
    {
        w.Raw("* ESEARCH (TAG ").String(command.Tag).Raw(")");
        if (command.Uid) w.Raw(" UID");
        if (numbers.Count > 0)
        {
            if (returns.Contains("MIN")) w.Raw(" MIN ").Number(numbers.Min());
            if (returns.Contains("MAX")) w.Raw(" MAX ").Number(numbers.Max());
        }
        if (returns.Contains("COUNT")) w.Raw(" COUNT ").Number(numbers.Count);
        if (returns.Contains("ALL") && numbers.Count > 0) w.Raw(" ALL ").Raw(UidSet.Of(numbers).ToString());
        if (highest is { } h) w.Raw(" MODSEQ ").Number(h);
        w.Crlf();
    }

    private static bool Uses<T>(SearchKey key) where T : SearchKey => key switch
    {
        T => true,
        NotKey n => Uses<T>(n.Key),
        OrKey o => Uses<T>(o.Left) || Uses<T>(o.Right),
        AndKey a => a.Keys.Any(Uses<T>),
        _ => false,
    };
}
