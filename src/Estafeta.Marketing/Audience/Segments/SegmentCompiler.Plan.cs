using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// How the parts of an expression combine into SQL. The tree is first brought to negation normal form (a <c>not</c>
/// is pushed down to the conditions by De Morgan's laws), leaving three kinds of leaves: conditions on the contact's
/// own row (<see cref="Row"/>), sets of contact ids (tags, list memberships, engagement events: <see cref="Member"/>),
/// and the complements of such sets. Sets are what the databases join well, so they are kept as sets:
/// <list type="bullet">
/// <item>a set is tested with <c>id IN (SELECT contact_id ...)</c>: a hash or merge semi-join on PostgreSQL, a
/// temporary index built once on SQLite;</item>
/// <item>its complement with <c>NOT EXISTS</c> (PostgreSQL's hash anti-join; on SQLite a probe of the contact's
/// own events, or <c>NOT IN</c> of a set built once);</item>
/// <item>on PostgreSQL an <c>or</c> that involves a set becomes one set, the <c>UNION ALL</c> of its parts' id
/// sets, since the planner can only run an OR of subqueries as a subplan per contact;</item>
/// <item>events that differ only in their kind merge into one scan (<c>opened(within: 90d) or clicked(within:
/// 90d)</c> reads <c>kind IN ('opened', 'clicked')</c> once), under <c>or</c> for "some event" and under
/// <c>and</c> for "no event".</item>
/// </list>
/// The count is driven, like a query written by hand, from a set that holds each contact at most once (a list's
/// subscriptions, a compared event count) when the condition needs nothing from the contact's own row; otherwise
/// from <c>contacts</c>. Every SQL fragment is made once, so the listing and the count share their parameters.
/// </summary>
public sealed partial class SegmentCompiler
{
    private int aliasCount;

    /// <summary>A condition on the contact's own row (a correlated subquery on <c>c.id</c> included).</summary>
    private sealed record Row(string Sql, bool Negated) : Logic;

    /// <summary>The contact is (or, negated, is not) in a set of contact ids.</summary>
    private sealed record Member(IdSet Set, bool Negated) : Logic;

    /// <summary>An engagement condition before it becomes a set, so that conditions differing only in kind can merge.</summary>
    private sealed record Events(EventSpec Spec, bool Negated) : Logic;

    private sealed record AllOf(IReadOnlyList<Logic> Parts) : Logic;

    private sealed record AnyOf(IReadOnlyList<Logic> Parts) : Logic;

    private abstract record Logic;

    /// <summary>
    /// Engagement events of some kinds in a window: "at least one" when <see cref="Having"/> is null, otherwise the
    /// contacts whose number of such events satisfies it (<c>COUNT(*) &gt;= 3</c>).
    /// </summary>
    private sealed record EventSpec(IReadOnlyList<EngagementKind> Kinds, long? From, long? Since, long? Before, string? Campaign, string? Having)
    {
        public bool SameWindow(EventSpec other) =>
            From == other.From && Since == other.Since && Before == other.Before && Campaign == other.Campaign && Having is null && other.Having is null;
    }

    /// <summary>
    /// A set of contact ids: <c>SELECT {Id} FROM {From} WHERE {Where} {GroupBy}</c>. <see cref="Unique"/> when it
    /// holds each contact at most once; <see cref="Probe"/> when "not in it" is best asked per contact on SQLite
    /// (through the index on the events' contact).
    /// </summary>
    private sealed record IdSet(string From, string Id, string Where, string? GroupBy, bool Unique, bool Probe)
    {
        public string Select => $"SELECT {Id} FROM {From} WHERE {Where}{(GroupBy is null ? "" : " " + GroupBy)}";
    }

    private string Alias(string prefix) => prefix + (++aliasCount).ToString(CultureInfo.InvariantCulture);

    /// <summary>The tree in negation normal form, with every field condition compiled and events merged.</summary>
    private Logic Normalize(SegmentNode node, bool negate)
    {
        switch (node)
        {
            case AndNode a:
                return Combine([Normalize(a.Left, negate), Normalize(a.Right, negate)], all: !negate);
            case OrNode o:
                return Combine([Normalize(o.Left, negate), Normalize(o.Right, negate)], all: negate);
            case NotNode n:
                return Normalize(n.Inner, !negate);
            case CompareNode { Operator: "!=" } cmp:
                return Normalize(cmp with { Operator = "=" }, !negate);
            case TagNode t:
            {
                var alias = Alias("t");
                return new Member(new IdSet($"contact_tags {alias}", $"{alias}.contact_id", $"{alias}.tag_key = {Parameter(CaseFold.Of(t.Tag.Trim()))}", null, Unique: false, Probe: false), negate);
            }

            case ListNode l:
            {
                var s = Alias("s");
                return new Member(new IdSet(
                    $"subscriptions {s}", $"{s}.contact_id",
                    $"{s}.list_id = {Parameter(ListId(l))} AND {s}.status = {Parameter(l.Status)}", null, Unique: true, Probe: false), negate);
            }

            case EventNode e:
                return EventLogic(e, negate);
            default:
                return new Row(EmitRow(node), negate);
        }
    }

    /// <summary>Flattens nested groups of the same kind and merges event conditions that differ only in kind.</summary>
    private static Logic Combine(List<Logic> parts, bool all)
    {
        var flat = new List<Logic>();
        foreach (var part in parts)
        {
            if (all && part is AllOf inner) flat.AddRange(inner.Parts);
            else if (!all && part is AnyOf any) flat.AddRange(any.Parts);
            else flat.Add(part);
        }

        // "some event" merges under or, "no event" under and: not (opened() or clicked()) = no opened or clicked event.
        var merged = new List<Logic>();
        foreach (var part in flat)
        {
            if (part is Events { Spec.Having: null } e && e.Negated == all)
            {
                var index = merged.FindIndex(m => m is Events other && other.Negated == e.Negated && other.Spec.SameWindow(e.Spec));
                if (index >= 0)
                {
                    var other = (Events)merged[index];
                    merged[index] = other with { Spec = other.Spec with { Kinds = [.. other.Spec.Kinds.Union(e.Spec.Kinds)] } };
                    continue;
                }
            }

            merged.Add(part);
        }

        return merged.Count == 1 ? merged[0] : all ? new AllOf(merged) : new AnyOf(merged);
    }

    /// <summary>
    /// An engagement predicate as a set: "at least one event" and "no event" are the set of contacts with such
    /// events and its complement; a compared count is the contacts whose count satisfies it, or, when zero events
    /// satisfy the comparison too (<c>opened() &lt; 3</c>), the complement of the contacts whose count does not.
    /// </summary>
    private Events EventLogic(EventNode e, bool negate)
    {
        // A window reaching back past the first date there is takes in every event (now - within overflowed).
        var from = e.Within is { } within ? (within >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - within).ToUnixTimeMilliseconds() : (long?)null;
        var since = e.Since is { } s ? Milliseconds(s, "since") : (long?)null;
        var before = e.Before is { } b ? Milliseconds(b, "before") : (long?)null;
        if (e.Campaign is { } campaign) campaigns.Add(campaign);
        var spec = new EventSpec([e.Kind], from, since, before, e.Campaign, null);
        switch (e.CountOperator, e.Count)
        {
            case (">=", 1) or (">", 0):
                return new Events(spec, negate);
            case ("=", 0) or ("<", 1) or ("<=", 0):
                return new Events(spec, !negate);
        }

        var zeroHolds = e.CountOperator switch
        {
            "=" => e.Count == 0,
            "!=" or "<>" => e.Count != 0,
            "<" => e.Count > 0,
            "<=" => e.Count >= 0,
            ">" => e.Count < 0,
            _ => e.Count <= 0,
        };
        var comparison = $"COUNT(*) {e.CountOperator} {Parameter(e.Count)}";
        return zeroHolds ? new Events(spec with { Having = $"NOT ({comparison})" }, !negate) : new Events(spec with { Having = comparison }, negate);
    }

    /// <summary>The events' set: found through the index (kind, occurred_at, contact_id), or (campaign, kind, contact_id).</summary>
    private IdSet EventSet(EventSpec spec)
    {
        var e = Alias("e");
        var where = new StringBuilder(spec.Kinds.Count == 1
            ? $"{e}.kind = {Parameter(EngagementKinds.Name(spec.Kinds[0]))}"
            : $"{e}.kind IN ({string.Join(", ", spec.Kinds.Select(k => Parameter(EngagementKinds.Name(k))))})");
        if (spec.From is { } from) where.Append($" AND {e}.occurred_at >= {Parameter(from)}");
        if (spec.Since is { } since) where.Append($" AND {e}.occurred_at >= {Parameter(since)}");
        if (spec.Before is { } before) where.Append($" AND {e}.occurred_at < {Parameter(before)}");
        if (spec.Campaign is { } campaign) where.Append($" AND {e}.campaign = {Parameter(campaign)}");
        return spec.Having is null
            ? new IdSet($"engagement_events {e}", $"{e}.contact_id", where.ToString(), null, Unique: false, Probe: true)
            : new IdSet($"engagement_events {e}", $"{e}.contact_id", where.ToString(), $"GROUP BY {e}.contact_id HAVING {spec.Having}", Unique: true, Probe: false);
    }

    /// <summary>Turns the remaining event conditions into sets, each compiled once (an and's parts in the order
    /// <see cref="SqliteOrder"/> gives them on SQLite).</summary>
    private Logic Lower(Logic logic) => logic switch
    {
        Events e => new Member(EventSet(e.Spec), e.Negated),
        AllOf a => new AllOf([.. (kind == DatabaseKind.Sqlite ? a.Parts.OrderBy(SqliteOrder) : a.Parts.AsEnumerable()).Select(Lower)]),
        AnyOf o => new AnyOf([.. o.Parts.Select(Lower)]),
        _ => logic,
    };

    /// <summary>
    /// Where a part of an and goes on SQLite, which takes the parts of a WHERE as written in two ways. Its planner
    /// counts every <c>IN (SELECT ...)</c> as the same size, so the first set drives the query (its ids are the
    /// contacts looked up) and the later ones are probed through the temporary index built from them; the
    /// conditions left on a contact are then tested in the order written (correlated subqueries last). So: first
    /// the sets that name a slice of the events (a window in time or a campaign: of what a condition can name, the
    /// likeliest to be narrow), then the other sets (lists, tags, events of any time), then the row conditions,
    /// which read the contact's JSON and cost more than a probe, and the complements. Within each group the order
    /// is the one written (OrderBy is stable).
    /// </summary>
    private static int SqliteOrder(Logic part) => part switch
    {
        Events { Negated: false, Spec: var s } when s.From is not null || s.Since is not null || s.Before is not null || s.Campaign is not null => 0,
        Events { Negated: false } or Member { Negated: false } => 1,
        _ => 2,
    };

    private static bool HasRow(Logic logic) => logic switch
    {
        Row => true,
        AllOf a => a.Parts.Any(HasRow),
        AnyOf o => o.Parts.Any(HasRow),
        _ => false,
    };

    private static bool HasSet(Logic logic) => logic switch
    {
        Member => true,
        AllOf a => a.Parts.Any(HasSet),
        AnyOf o => o.Parts.Any(HasSet),
        _ => false,
    };

    /// <summary>The condition that contact <paramref name="id"/> (an SQL expression) meets <paramref name="logic"/>.</summary>
    private string Condition(Logic logic, string id)
    {
        switch (logic)
        {
            case Row r:
                // A row condition may be unknown (NULL) for a contact without the value; its negation holds then.
                return r.Negated ? $"(({r.Sql}) IS NOT TRUE)" : r.Sql;
            case Member { Negated: false } m:
                return $"{id} IN ({m.Set.Select})";
            case Member m when kind == DatabaseKind.Sqlite && !m.Set.Probe:
                return $"{id} NOT IN ({m.Set.Select})";
            case Member m when m.Set.GroupBy is not null:
            {
                var g = Alias("g");
                return $"NOT EXISTS (SELECT 1 FROM ({m.Set.Select}) {g} WHERE {g}.contact_id = {id})";
            }

            case Member m:
                return $"NOT EXISTS (SELECT 1 FROM {m.Set.From} WHERE {m.Set.Where} AND {m.Set.Id} = {id})";
            case AllOf a:
                return "(" + string.Join(" AND ", a.Parts.Select(p => Condition(p, id))) + ")";
            case AnyOf o when kind == DatabaseKind.PostgreSql && HasSet(o):
                return $"{id} IN ({Union(o)})";
            case AnyOf o:
                return "(" + string.Join(" OR ", o.Parts.Select(p => Condition(p, id))) + ")";
            default:
                throw new InvalidOperationException("unknown segment condition");
        }
    }

    /// <summary>
    /// An or as one set of ids (PostgreSQL): the sets of its parts, the contacts meeting its row conditions (one scan
    /// for all of them), and the contacts meeting each other part (an and, a complement), all appended.
    /// </summary>
    private string Union(AnyOf any)
    {
        var selects = new List<string>();
        var rows = new List<string>();
        foreach (var part in any.Parts)
        {
            if (part is Member { Negated: false } m) selects.Add(m.Set.Select);
            else if (!HasSet(part)) rows.Add(Condition(part, "c.id"));
            else selects.Add($"SELECT c.id FROM contacts c WHERE {Condition(part, "c.id")}");
        }

        if (rows.Count > 0) selects.Add($"SELECT c.id FROM contacts c WHERE {(rows.Count == 1 ? rows[0] : "(" + string.Join(" OR ", rows) + ")")}");
        return string.Join(" UNION ALL ", selects);
    }

    /// <summary>
    /// The count: over a set holding each contact once when the condition needs nothing of the contact's own row
    /// (the other conditions tested on its ids), otherwise over <c>contacts</c>. Every set's ids are contacts' ids
    /// (foreign keys), so both count the same contacts.
    /// </summary>
    private string Count(Logic logic, string where)
    {
        var conjuncts = logic is AllOf all ? all.Parts : [logic];
        if (HasRow(logic) || conjuncts.OfType<Member>().FirstOrDefault(m => !m.Negated && m.Set.Unique) is not { } driver)
        {
            return $"SELECT COUNT(*) FROM contacts c WHERE {where}";
        }

        var rest = conjuncts.Where(p => !ReferenceEquals(p, driver)).ToList();
        if (driver.Set.GroupBy is null)
        {
            var conditions = string.Concat(rest.Select(p => " AND " + Condition(p, driver.Set.Id)));
            return $"SELECT COUNT(*) FROM {driver.Set.From} WHERE {driver.Set.Where}{conditions}";
        }

        var g = Alias("g");
        var filter = rest.Count == 0 ? "" : " WHERE " + string.Join(" AND ", rest.Select(p => Condition(p, $"{g}.contact_id")));
        return $"SELECT COUNT(*) FROM ({driver.Set.Select}) {g}{filter}";
    }
}
