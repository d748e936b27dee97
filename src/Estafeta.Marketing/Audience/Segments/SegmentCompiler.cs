using System.Globalization;
using System.Text;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Compiles a segment expression to a parameterised SQL condition that SQLite and PostgreSQL both run.
/// Field names are checked against the built-in properties and the custom field definitions, and every
/// value against the field's type, so mistakes are reported with their position before any SQL runs.
/// </summary>
public sealed partial class SegmentCompiler
{
    private readonly string expression;
    private readonly DatabaseKind kind;
    private readonly IReadOnlyDictionary<string, FieldDefinition> fields;
    private readonly IReadOnlyList<(long Id, string Name)> lists;
    private readonly DateTimeOffset now;
    private readonly DynamicParameters parameters = new();
    private readonly List<string> campaigns = [];
    private int parameterCount;

    private SegmentCompiler(string expression, DatabaseKind kind, IReadOnlyDictionary<string, FieldDefinition> fields, IReadOnlyList<(long Id, string Name)> lists, DateTimeOffset now)
    {
        this.expression = expression;
        this.kind = kind;
        this.fields = fields;
        this.lists = lists;
        this.now = now;
    }

    private enum BuiltInKind
    {
        Text,
        Timestamp,
    }

    /// <summary>Compiles against the database's custom fields; relative times (now(), within:) are taken from the database's clock.</summary>
    public static async Task<SegmentQuery> CompileAsync(Database db, string expression, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var definitions = await FieldStore.ListAsync(connection, null, ct).ConfigureAwait(false);
        var lists = await ListNames.LoadAsync(connection, null, ct).ConfigureAwait(false);
        var query = Compile(expression, db.Kind, definitions.ToDictionary(f => f.Name, StringComparer.Ordinal), lists, db.Time.GetUtcNow());
        return query.Campaigns.Count == 0 ? query : query with { Warnings = await CampaignWarningsAsync(connection, query.Campaigns, ct).ConfigureAwait(false) };
    }

    /// <summary>A campaign named in the expression that no engagement event names is likely mistyped: under <c>not</c> it
    /// selects everyone. It is only a warning, not an error: a campaign not sent yet rightly has no events. Each name is one
    /// look-up in the index on (campaign, kind, contact_id).</summary>
    private static async Task<IReadOnlyList<string>> CampaignWarningsAsync(System.Data.Common.DbConnection connection, IReadOnlyList<string> campaigns, CancellationToken ct)
    {
        var warnings = new List<string>();
        foreach (var campaign in campaigns.Distinct(StringComparer.Ordinal))
        {
            var known = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT 1 FROM engagement_events WHERE campaign = @campaign LIMIT 1", new { campaign }, cancellationToken: ct)).ConfigureAwait(false);
            if (known is null) warnings.Add($"no engagement event names the campaign \"{campaign}\" yet: check its name (a campaign not sent yet has none)");
        }

        return warnings;
    }

    public static SegmentQuery Compile(string expression, DatabaseKind kind, IReadOnlyDictionary<string, FieldDefinition> fields, IReadOnlyList<(long Id, string Name)> lists, DateTimeOffset now)
    {
        var tree = SegmentParser.Parse(expression);
        var compiler = new SegmentCompiler(expression, kind, fields, lists, now);
        var logic = compiler.Lower(compiler.Normalize(tree, negate: false));
        var where = compiler.Condition(logic, "c.id");
        return new SegmentQuery(expression, where, compiler.Count(logic, where), compiler.parameters) { Campaigns = compiler.campaigns };
    }

    private SegmentSyntaxException Error(string problem, int position) => new(problem, position, expression);

    /// <summary>The id of the list <c>list("...")</c> names: by its exact name, else by the one name that is the same but
    /// for case and accents (<c>list("boletin")</c> finds Boletín). A name that matches no list is an error at its
    /// position, not an empty set: under <c>not</c> a mistyped name would otherwise select every contact.</summary>
    private long ListId(ListNode node)
    {
        if (ListNames.Find(node.List, lists, out var alike) is { } id) return id;
        var quoted = string.Join(", ", (alike.Count > 1 ? alike : [.. lists]).OrderBy(l => l.Name, StringComparer.Ordinal).Take(10).Select(l => $"\"{l.Name}\""));
        throw Error(alike.Count > 1
            ? $"list(\"{node.List}\") could be any of {quoted}; write the name exactly"
            : lists.Count == 0 ? $"there is no list named \"{node.List}\" (there are no lists yet)"
            : $"there is no list named \"{node.List}\"; the lists are {quoted}{(lists.Count > 10 ? ", ..." : "")}", node.Position);
    }

    private string Parameter(object? value)
    {
        var name = "s" + parameterCount.ToString(CultureInfo.InvariantCulture);
        parameterCount++;
        parameters.Add(name, value);
        return "@" + name;
    }

    /// <summary>A condition on the contact's own row: a built-in property or a custom field.</summary>
    private string EmitRow(SegmentNode node) => node switch
    {
        FieldNode f => EmitField(f),
        CompareNode cmp => EmitCompare(cmp),
        InNode i => EmitIn(i),
        _ => throw Error("this part of the expression cannot be compiled", node.Position),
    };

    private string EmitField(FieldNode f)
    {
        if (BuiltIn(f.Field, f.Position) is { } builtIn)
        {
            if (f.AsTruth) throw Error($"{f.Field} is not a true/false field; compare it with a value", f.Position);
            return $"{builtIn.Sql} IS NOT NULL";
        }

        var field = Custom(f.Field, f.Position);
        if (!f.AsTruth) return $"{Column(field)} IS NOT NULL";
        if (field.Type != FieldType.Boolean) throw Error($"{field.Name} is a {FieldTypes.Name(field.Type)} field, not true/false; compare it with a value", f.Position);
        return $"{Column(field)} = {Parameter(1.0)}";
    }

    private string EmitCompare(CompareNode cmp)
    {
        if (BuiltIn(cmp.Field, cmp.Position) is { } builtIn)
        {
            return Condition(builtIn.Sql, builtIn.Kind == BuiltInKind.Text ? FieldType.Text : FieldType.Date, cmp.Field, cmp.Operator, Stored(cmp), timestamp: builtIn.Kind == BuiltInKind.Timestamp);
        }

        var field = Custom(cmp.Field, cmp.Position);
        var column = Column(field);
        return Condition(column, field.Type, field.Name, cmp.Operator, cmp.Value, timestamp: false, field);
    }

    /// <summary>An address or domain compared for equality in the form it is stored: IDN domains as A-labels, the local
    /// part as the address check keeps it (<c>email = "josé@españa.es"</c> finds josé@xn--espaa-rta.es). A value that is
    /// no address or domain is compared as written.</summary>
    private static SegmentValue Stored(CompareNode cmp)
    {
        if (cmp.Operator is not ("=" or "!=") || cmp.Value is not { Kind: SegmentValueKind.String, Literal: string text }) return cmp.Value;
        if (cmp.Field == "email") return MailAddressCanonical.TryAddress(text, out var address) ? cmp.Value with { Literal = address } : cmp.Value;
        if (cmp.Field != "domain") return cmp.Value;
        try
        {
            return cmp.Value with { Literal = MailAddressCanonical.Domain(text) };
        }
        catch (InvalidInputException)
        {
            return cmp.Value;
        }
    }

    private string EmitIn(InNode i)
    {
        var parts = i.Values.Select(v => new CompareNode(i.Field, "=", v, v.Position)).Select(EmitCompare);
        return "(" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>The field's value in the contact's JSON object, typed for comparisons (see <see cref="FieldJson.Sql"/>).</summary>
    private string Column(FieldDefinition field) => FieldJson.Sql(kind, "c.fields", field);

    private string Condition(string column, FieldType type, string fieldName, string op, SegmentValue value, bool timestamp, FieldDefinition? field = null)
    {
        switch (type)
        {
            case FieldType.Text or FieldType.Choice:
                if (value.Kind != SegmentValueKind.String) throw Error($"{fieldName} holds text: compare it with a value in quotes", value.Position);
                var text = ((string)value.Literal!).Normalize(NormalizationForm.FormC); // as values are stored
                if (field is { Type: FieldType.Choice } && op is "=" && !field.Choices.Any(ch => string.Equals(ch, text, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Error($"\"{text}\" is not one of the choices of {fieldName} ({string.Join(", ", field.Choices)})", value.Position);
                }

                // SQLite's lower() folds ASCII only: a value beyond ASCII is compared through estafeta_lower (.NET's
                // folding, registered on every SQLite connection), kept off the plain ASCII case, which lower() runs
                // faster and where a value beyond ASCII could not match anyway.
                var unicode = kind == DatabaseKind.Sqlite && CaseFold.BeyondAscii(text);
                return op switch
                {
                    "=" when unicode => $"estafeta_lower({column}) = {Parameter(CaseFold.Of(text))}",
                    "=" => $"lower({column}) = lower({Parameter(text)})",
                    "contains" when unicode => $"estafeta_lower({column}) LIKE {Parameter("%" + EscapeLike(CaseFold.Of(text)) + "%")} ESCAPE '\\'",
                    "contains" => $"lower({column}) LIKE lower({Parameter("%" + EscapeLike(text) + "%")}) ESCAPE '\\'",
                    _ => $"{column} {op} {Parameter(text)}",
                };
            case FieldType.Number:
                if (value.Kind != SegmentValueKind.Number) throw Error($"{fieldName} is a number: compare it with a number", value.Position);
                if (op == "contains") throw Error("'contains' works on text fields only", value.Position);
                return $"{column} {op} {Parameter((double)value.Literal!)}";
            case FieldType.Boolean:
                if (value.Kind != SegmentValueKind.Boolean) throw Error($"{fieldName} is true/false: compare it with true or false", value.Position);
                if (op != "=") throw Error($"{fieldName} is true/false: only = and != apply", value.Position);
                return $"{column} = {Parameter((bool)value.Literal! ? 1.0 : 0.0)}";
            default:
                if (op == "contains") throw Error("'contains' works on text fields only", value.Position);
                var ms = Milliseconds(value, fieldName);
                if (op == "=" && (timestamp || value.Kind == SegmentValueKind.Now))
                {
                    // A timestamp equals a date when it falls on that day.
                    var day = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.Date;
                    var start = new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeMilliseconds();
                    return $"({column} >= {Parameter(start)} AND {column} < {Parameter(start + 86_400_000L)})";
                }

                return $"{column} {op} {Parameter(ms)}";
        }
    }

    private long Milliseconds(SegmentValue value, string what)
    {
        DateTimeOffset at = value.Kind switch
        {
            SegmentValueKind.Date => (DateTimeOffset)value.Literal!,
            SegmentValueKind.Now => now,
            SegmentValueKind.Today => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero),
            SegmentValueKind.String when FieldValues.ParseDate((string)value.Literal!) is { } parsed => DateTimeOffset.FromUnixTimeMilliseconds(parsed),
            _ => throw Error($"{what} is a date: compare it with a date (2026-01-31), now() or today(), optionally ± a duration", value.Position),
        };
        // 0001-01-01 - 1d, or now() + 9000y: out of a date's range, which failed the request with an exception.
        var ticks = at.UtcTicks + value.Offset.Ticks;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw Error($"{what}: the date falls before the year 1 or after 9999", value.Position);
        }

        return (at + value.Offset).ToUnixTimeMilliseconds();
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private (string Sql, BuiltInKind Kind)? BuiltIn(string name, int position) => name switch
    {
        "email" => ("c.email", BuiltInKind.Text),
        "name" => ("c.name", BuiltInKind.Text),
        "language" => ("c.language", BuiltInKind.Text),
        "time_zone" => ("c.time_zone", BuiltInKind.Text),
        "validation" => ("c.validation", BuiltInKind.Text),
        "domain" => (kind == DatabaseKind.Sqlite ? "substr(c.email, instr(c.email, '@') + 1)" : "split_part(c.email, '@', 2)", BuiltInKind.Text),
        "created" => ("c.created_at", BuiltInKind.Timestamp),
        "updated" => ("c.updated_at", BuiltInKind.Timestamp),
        "id" or "tags" => throw Error($"{name} cannot be used in a comparison here", position),
        _ => null,
    };

    /// <summary>The custom field named, written with or without its accents (<see cref="FieldValues.Resolve"/>).</summary>
    private FieldDefinition Custom(string name, int position) =>
        FieldValues.Resolve(name, fields) is { } field
            ? field
            : throw Error($"unknown field '{name}' (built-in: email, name, language, time_zone, domain, validation, created, updated; custom: {(fields.Count == 0 ? "none yet" : string.Join(", ", fields.Keys.Order(StringComparer.Ordinal)))})", position);
}
