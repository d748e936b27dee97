using Dapper;

namespace Estafeta.Storage;

/// <summary>The <c>dkim_keys</c> table: which keys a domain has and in which state.</summary>
public sealed class DkimKeyTable(Database db)
{
    private const string Columns = """
        id AS Id, domain AS Domain, selector AS Selector, algorithm AS Algorithm, state AS State, created_at AS CreatedAt,
        activated_at AS ActivatedAt, retired_at AS RetiredAt, published_seen_at AS PublishedSeenAt
        """;

    public async Task<DkimKeyInfo> AddAsync(string domain, string selector, string algorithm, DkimKeyState state, CancellationToken ct = default)
    {
        var now = db.NowMilliseconds();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            var row = await connection.QuerySingleAsync<KeyRow>(new CommandDefinition(
                $"""
                INSERT INTO dkim_keys (domain, selector, algorithm, state, created_at, activated_at)
                VALUES (@domain, @selector, @algorithm, @state, @now, @activated) RETURNING {Columns}
                """,
                new { domain, selector, algorithm, state = Name(state), now, activated = state == DkimKeyState.Active ? now : (long?)null },
                cancellationToken: ct)).ConfigureAwait(false);
            return row.ToInfo();
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"{domain} already has a DKIM selector {selector}", e);
        }
    }

    /// <summary>The keys of <paramref name="domain"/>, newest first.</summary>
    public async Task<IReadOnlyList<DkimKeyInfo>> ListAsync(string domain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM dkim_keys WHERE domain = @domain ORDER BY created_at DESC, id DESC", new { domain }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInfo())];
    }

    /// <summary>The domains that have a key waiting to be seen in DNS.</summary>
    public async Task<IReadOnlyList<string>> DomainsWithPendingKeysAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT domain FROM dkim_keys WHERE state = @pending ORDER BY domain", new { pending = Name(DkimKeyState.Pending) }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows];
    }

    public async Task MarkPublishedSeenAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dkim_keys SET published_seen_at = @now WHERE id = @id", new { id, now = db.NowMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Makes a pending key the one that signs: the active key of the same algorithm becomes retired,
    /// in the same transaction. Returns false when the key was not pending any more.</summary>
    public async Task<bool> ActivateAsync(long id, CancellationToken ct = default)
    {
        var now = db.NowMilliseconds();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var key = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM dkim_keys WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (key is null || key.State != Name(DkimKeyState.Pending)) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dkim_keys SET state = @retired, retired_at = @now WHERE domain = @domain AND algorithm = @algorithm AND state = @active",
            new { retired = Name(DkimKeyState.Retired), active = Name(DkimKeyState.Active), now, domain = key.Domain, algorithm = key.Algorithm }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dkim_keys SET state = @active, activated_at = @now, published_seen_at = @now WHERE id = @id",
            new { active = Name(DkimKeyState.Active), now, id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    public static string Name(DkimKeyState state) => state switch
    {
        DkimKeyState.Pending => "pending",
        DkimKeyState.Active => "active",
        _ => "retired",
    };

    internal sealed class KeyRow
    {
        public long Id { get; set; }
        public string Domain { get; set; } = "";
        public string Selector { get; set; } = "";
        public string Algorithm { get; set; } = "";
        public string State { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ActivatedAt { get; set; }
        public long? RetiredAt { get; set; }
        public long? PublishedSeenAt { get; set; }

        public DkimKeyInfo ToInfo() => new(
            Id, Domain, Selector, Algorithm,
            State switch { "pending" => DkimKeyState.Pending, "active" => DkimKeyState.Active, _ => DkimKeyState.Retired },
            Rows.Time(CreatedAt), Optional(ActivatedAt), Optional(RetiredAt), Optional(PublishedSeenAt));

        private static DateTimeOffset? Optional(long? value) => value is { } v ? Rows.Time(v) : null;
    }
}
