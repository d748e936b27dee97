using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Saved segments, and counting the contacts an expression selects.</summary>
public sealed class SegmentStore(Database db)
{
    private const string Columns = "id AS Id, name AS Name, expression AS Expression, created_at AS CreatedAt, updated_at AS UpdatedAt";

    /// <summary>The most saved segments a server holds (each is compiled again when a list is renamed or a field removed).</summary>
    public const int MaxSegments = 1_000;

    /// <summary>Saves a segment; the expression is compiled first so a broken one is never stored.</summary>
    public async Task<Segment> SaveAsync(string name, string expression, CancellationToken ct = default)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 200) throw new InvalidInputException("a segment name has 1 to 200 characters");
        await SegmentCompiler.CompileAsync(db, expression, ct).ConfigureAwait(false);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM segments WHERE name <> @trimmed", new { trimmed }, cancellationToken: ct)).ConfigureAwait(false) >= MaxSegments)
        {
            throw new InvalidInputException($"a server holds at most {MaxSegments} saved segments; remove the ones no longer used (estafeta segments remove)");
        }

        var now = AudienceSql.Now(db);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"""
            INSERT INTO segments (name, expression, created_at, updated_at) VALUES (@trimmed, @expression, @now, @now)
            ON CONFLICT (name) DO UPDATE SET expression = excluded.expression, updated_at = excluded.updated_at
            RETURNING {Columns}
            """, new { trimmed, expression, now }, cancellationToken: ct)).ConfigureAwait(false);
        return row.ToSegment();
    }

    public async Task<IReadOnlyList<Segment>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM segments ORDER BY name", cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSegment())];
    }

    public async Task<Segment?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM segments WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToSegment();
    }

    public async Task<Segment?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM segments WHERE name = @name", new { name = name.Trim() }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToSegment();
    }

    public async Task RemoveAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (await connection.ExecuteAsync(new CommandDefinition("DELETE FROM segments WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException($"segment {id} does not exist");
        }
    }

    /// <summary>Compiles the name of a saved segment, or else the text as an expression.</summary>
    public async Task<SegmentQuery> ResolveAsync(string nameOrExpression, CancellationToken ct = default)
    {
        var saved = await FindAsync(nameOrExpression, ct).ConfigureAwait(false);
        return await SegmentCompiler.CompileAsync(db, saved?.Expression ?? nameOrExpression, ct).ConfigureAwait(false);
    }

    /// <summary>How many contacts the segment selects now.</summary>
    public async Task<long> CountAsync(SegmentQuery query, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(query.CountSql, query.Parameters, cancellationToken: ct)).ConfigureAwait(false);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Expression { get; set; } = "";
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public Segment ToSegment() => new(Id, Name, Expression, AudienceSql.Time(CreatedAt), AudienceSql.Time(UpdatedAt));
    }
}
