using System.Data.Common;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>The custom field definitions. Names are unique; built-in contact properties cannot be redefined.</summary>
public sealed class FieldStore(Database db)
{
    /// <summary>Properties every contact has; a custom field may not take one of these names.</summary>
    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "email", "name", "language", "time_zone", "tags", "created", "updated", "domain", "validation",
    };

    private const string Columns = "id AS Id, name AS Name, type AS Type, choices AS Choices";

    public async Task<FieldDefinition> DefineAsync(string name, FieldType type, IReadOnlyList<string>? choices = null, CancellationToken ct = default)
    {
        var normalized = FieldValues.NormalizeName(name);
        if (BuiltIn.Contains(FieldValues.Fold(normalized))) throw new InvalidInputException($"'{normalized}' is a built-in contact property, not a custom field");
        if (type == FieldType.Choice && (choices is null || choices.Count == 0)) throw new InvalidInputException($"choice field {normalized} needs its list of choices");
        if (type != FieldType.Choice && choices is { Count: > 0 }) throw new InvalidInputException("only choice fields take a list of choices");
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var fold = FieldValues.Fold(normalized);
        var defined = await ListAsync(connection, null, ct).ConfigureAwait(false);
        if (defined.FirstOrDefault(f => FieldValues.Fold(f.Name) == fold) is { } same)
        {
            throw new ConflictException(same.Name == normalized
                ? $"field {normalized} already exists"
                : $"field {same.Name} already exists, and {normalized} would be the same field (names that differ only in accents or case are one field)");
        }

        if (defined.Count >= FieldValues.MaxDefinitions) throw TooMany(normalized);

        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO contact_fields (name, type, choices, created_at) VALUES (@name, @type, @choices, @now) RETURNING id",
                new { name = normalized, type = FieldTypes.Name(type), choices = choices is { Count: > 0 } ? string.Join('\n', choices) : null, now = AudienceSql.Now(db) },
                cancellationToken: ct)).ConfigureAwait(false);
            return new FieldDefinition(id, normalized, type, choices ?? []);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"field {normalized} already exists", e);
        }
    }

    public async Task<IReadOnlyList<FieldDefinition>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await ListAsync(connection, null, ct).ConfigureAwait(false);
    }

    internal static async Task<IReadOnlyList<FieldDefinition>> ListAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM contact_fields ORDER BY name", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDefinition())];
    }

    /// <summary>The definitions of <paramref name="names"/>, each under the name asked for; a name the same as a stored
    /// field's but for accents or case (<see cref="FieldValues.Resolve"/>) gets that field; missing ones are created as
    /// text fields.</summary>
    internal static async Task<Dictionary<string, FieldDefinition>> EnsureAsync(
        DbConnection connection, DbTransaction tx, IEnumerable<string> names, long now, CancellationToken ct)
    {
        var all = (await ListAsync(connection, tx, ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (all.ContainsKey(name)) continue;
            if (FieldValues.Resolve(name, all) is { } same)
            {
                all[name] = same;
                continue;
            }

            if (all.Values.DistinctBy(f => f.Id).Count() >= FieldValues.MaxDefinitions) throw TooMany(name);
            if (BuiltIn.Contains(FieldValues.Fold(name))) throw new InvalidInputException($"'{name}' is a built-in contact property, not a custom field");
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO contact_fields (name, type, created_at) VALUES (@name, 'text', @now) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                new { name, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            all[name] = new FieldDefinition(id, name, FieldType.Text, []);
        }

        return all;
    }

    private static InvalidInputException TooMany(string name) =>
        new($"cannot add field {name}: this server holds at most {FieldValues.MaxDefinitions} custom fields; map unneeded columns with --map 'column=skip'");

    private sealed class Row
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Type { get; set; } = "";
        public string? Choices { get; set; }

        public FieldDefinition ToDefinition() => new(Id, Name, FieldTypes.Parse(Type), Choices is null ? [] : Choices.Split('\n'));
    }
}
