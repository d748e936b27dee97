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
        var fold = FieldValues.Fold(normalized);
        if (BuiltIn.Contains(fold)) throw new InvalidInputException($"'{normalized}' is a built-in contact property, not a custom field");
        if (type == FieldType.Choice && (choices is null || choices.Count == 0)) throw new InvalidInputException($"choice field {normalized} needs its list of choices");
        if (type != FieldType.Choice && choices is { Count: > 0 }) throw new InvalidInputException("only choice fields take a list of choices");
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
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

    /// <summary>Removes a custom field (named with or without its accents, in any capitals) and every contact's value of
    /// it, in one transaction. A saved segment that uses the field would fail from then on, so the removal is refused
    /// while one does, unless <paramref name="force"/>.</summary>
    public async Task<FieldRemoval> RemoveAsync(string name, bool force = false, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var all = (await ListAsync(connection, tx, ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var field = FieldValues.Resolve(name.Trim(), all)
            ?? throw new NotFoundException($"there is no custom field {name.Trim()} (fields: {(all.Count == 0 ? "none yet" : string.Join(", ", all.Keys.Take(20)))})");

        var users = await SegmentsUsingAsync(connection, tx, field, all, ct).ConfigureAwait(false);
        if (users.Count > 0 && !force)
        {
            throw new ConflictException(
                $"{(users.Count == 1 ? "the saved segment " + users[0] + " uses" : "the saved segments " + string.Join(", ", users) + " use")} the field {field.Name}; " +
                "change or remove them first, or remove the field anyway with force (--force, force=true) and they will fail until changed");
        }

        var contacts = await connection.ExecuteAsync(new CommandDefinition(
            db.Kind == DatabaseKind.Sqlite
                ? "UPDATE contacts SET fields = NULLIF(json_remove(fields, @path), '{}') WHERE json_type(fields, @path) IS NOT NULL"
                : "UPDATE contacts SET fields = NULLIF(fields - @name, '{}'::jsonb) WHERE jsonb_exists(fields, @name)",
            new { path = $"$.\"{field.Name}\"", name = field.Name }, tx, commandTimeout: 0, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM contact_fields WHERE id = @id", new { id = field.Id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new FieldRemoval(field.Name, contacts, users);
    }

    /// <summary>The saved segments that compile with <paramref name="field"/> defined and not without it.</summary>
    private async Task<List<string>> SegmentsUsingAsync(DbConnection connection, DbTransaction tx, FieldDefinition field, Dictionary<string, FieldDefinition> all, CancellationToken ct)
    {
        var segments = (await connection.QueryAsync<(string Name, string Expression)>(new CommandDefinition(
            "SELECT name, expression FROM segments ORDER BY name", transaction: tx, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        if (segments.Count == 0) return [];
        var lists = await ListNames.LoadAsync(connection, tx, ct).ConfigureAwait(false);
        var without = all.Where(f => f.Value.Id != field.Id).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var now = db.Time.GetUtcNow();
        bool Compiles(string expression, IReadOnlyDictionary<string, FieldDefinition> fields)
        {
            try
            {
                SegmentCompiler.Compile(expression, db.Kind, fields, lists, now);
                return true;
            }
            catch (SegmentSyntaxException)
            {
                return false;
            }
        }

        return [.. segments.Where(s => Compiles(s.Expression, all) && !Compiles(s.Expression, without)).Select(s => s.Name)];
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
