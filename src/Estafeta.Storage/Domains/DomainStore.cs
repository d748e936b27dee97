using Dapper;

namespace Estafeta.Storage;

/// <summary>The local domains: the ones whose mail this server stores instead of relaying.</summary>
public sealed class DomainStore(Database db)
{
    private const string Columns = "id AS Id, name AS Name, catch_all AS CatchAll, created_at AS CreatedAt";

    public async Task<Domain> AddAsync(string name, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Domain(name);
        if (canonical.StartsWith('['))
        {
            throw new InvalidInputException($"'{name}' is an address literal, not a domain name");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            var row = await connection.QuerySingleAsync<Rows.DomainRow>(new CommandDefinition(
                $"INSERT INTO domains (name, created_at) VALUES (@name, @now) RETURNING {Columns}",
                new { name = canonical, now = db.NowMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
            return row.ToDomain();
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"domain {canonical} already exists", e);
        }
    }

    public async Task<IReadOnlyList<Domain>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Rows.DomainRow>(new CommandDefinition(
            $"SELECT {Columns} FROM domains ORDER BY name", cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>The domain, or null when it is not local.</summary>
    public async Task<Domain?> GetAsync(string name, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Domain(name);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.DomainRow>(new CommandDefinition(
            $"SELECT {Columns} FROM domains WHERE name = @name", new { name = canonical }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    /// <summary>Removes the domain and its aliases. Refused while it still has accounts.</summary>
    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Domain(name);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM domains WHERE name = @name", new { name = canonical }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"domain {canonical} does not exist");
        var accounts = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM accounts WHERE domain_id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (accounts > 0)
        {
            throw new ConflictException(
                $"domain {canonical} still has {accounts} account{(accounts == 1 ? "" : "s")}; remove {(accounts == 1 ? "it" : "them")} first");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aliases WHERE domain_id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM domains WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets (or with null clears) the address that receives mail for unknown local parts of the domain.
    /// The target may be a local account, a local alias or a remote address.
    /// </summary>
    public async Task SetCatchAllAsync(string domain, string? target, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Domain(domain);
        var canonicalTarget = target is null ? null : MailAddressCanonical.Address(target);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        if (canonicalTarget is not null)
        {
            await AliasStore.EnsureLocalTargetExistsAsync(connection, tx, canonicalTarget, ct).ConfigureAwait(false);
        }

        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE domains SET catch_all = @target WHERE name = @name",
            new { target = canonicalTarget, name = canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new NotFoundException($"domain {canonical} does not exist");
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
