using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// Aliases: a local address that forwards to one or more targets, each a local account, another alias or a
/// remote address. Chains are followed up to <see cref="RecipientDirectory.MaxAliasDepth"/> levels.
/// </summary>
public sealed class AliasStore(Database db)
{
    private const string Columns = "address AS Address, target AS Target, created_at AS CreatedAt";

    /// <summary>
    /// Adds <paramref name="target"/> to the alias <paramref name="address"/> (creating the alias when it is the
    /// first target). Refused when the address is an account, when a local target does not exist, and when the
    /// new target would close a loop or make a chain deeper than the resolver follows.
    /// </summary>
    public async Task<Alias> AddAsync(string address, string target, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        var canonicalTarget = MailAddressCanonical.Address(target);
        if (canonical == canonicalTarget)
        {
            throw new ConflictException($"alias {canonical} cannot point to itself");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var domain = MailAddressCanonical.DomainOf(canonical);
        var domainId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM domains WHERE name = @domain", new { domain }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"domain {domain} is not a local domain; add the domain first");
        var accounts = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM accounts WHERE address = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (accounts > 0)
        {
            throw new ConflictException($"{canonical} is an account; an address is either an account or an alias");
        }

        await EnsureLocalTargetExistsAsync(connection, tx, canonicalTarget, ct).ConfigureAwait(false);
        await EnsureNoLoopAsync(connection, tx, canonical, canonicalTarget, ct).ConfigureAwait(false);

        try
        {
            var row = await connection.QuerySingleAsync<Rows.AliasRow>(new CommandDefinition(
                $"INSERT INTO aliases (domain_id, address, target, created_at) VALUES (@domainId, @canonical, @canonicalTarget, @now) RETURNING {Columns}",
                new { domainId, canonical, canonicalTarget, now = db.NowMilliseconds() }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return row.ToAlias();
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"alias {canonical} already points to {canonicalTarget}", e);
        }
    }

    /// <summary>Removes one target of the alias, or with <paramref name="target"/> null the whole alias.</summary>
    public async Task RemoveAsync(string address, string? target = null, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (target is null)
        {
            var removed = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM aliases WHERE address = @canonical", new { canonical }, cancellationToken: ct)).ConfigureAwait(false);
            if (removed == 0)
            {
                throw new NotFoundException($"alias {canonical} does not exist");
            }

            return;
        }

        var canonicalTarget = MailAddressCanonical.Address(target);
        var count = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aliases WHERE address = @canonical AND target = @canonicalTarget",
            new { canonical, canonicalTarget }, cancellationToken: ct)).ConfigureAwait(false);
        if (count == 0)
        {
            throw new NotFoundException($"alias {canonical} does not point to {canonicalTarget}");
        }
    }

    /// <summary>All alias targets, or those of one domain, ordered by address then target.</summary>
    public async Task<IReadOnlyList<Alias>> ListAsync(string? domain = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = domain is null
            ? await connection.QueryAsync<Rows.AliasRow>(new CommandDefinition(
                $"SELECT {Columns} FROM aliases ORDER BY address, target", cancellationToken: ct)).ConfigureAwait(false)
            : await connection.QueryAsync<Rows.AliasRow>(new CommandDefinition(
                $"SELECT {Columns} FROM aliases WHERE domain_id = (SELECT id FROM domains WHERE name = @domain) ORDER BY address, target",
                new { domain = MailAddressCanonical.Domain(domain) }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAlias())];
    }

    /// <summary>A target in a local domain must name an existing account or alias (catches typos early).</summary>
    internal static async Task EnsureLocalTargetExistsAsync(DbConnection connection, DbTransaction tx, string canonicalTarget, CancellationToken ct)
    {
        var domain = MailAddressCanonical.DomainOf(canonicalTarget);
        var local = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM domains WHERE name = @domain", new { domain }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (local == 0)
        {
            return;
        }

        var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM accounts WHERE address = @canonicalTarget)
                 + (SELECT COUNT(*) FROM aliases WHERE address = @canonicalTarget)
            """,
            new { canonicalTarget }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (known == 0)
        {
            throw new NotFoundException($"{canonicalTarget} is in a local domain but is neither an account nor an alias; create it first");
        }
    }

    /// <summary>Walks the alias graph from the new target; reaching the alias itself would be a loop.</summary>
    private static async Task EnsureNoLoopAsync(DbConnection connection, DbTransaction tx, string alias, string newTarget, CancellationToken ct)
    {
        var frontier = new List<(string Address, List<string> Path)> { (newTarget, [alias, newTarget]) };
        var seen = new HashSet<string>(StringComparer.Ordinal) { newTarget };
        for (var depth = 1; frontier.Count > 0; depth++)
        {
            var next = new List<(string Address, List<string> Path)>();
            foreach (var (address, path) in frontier)
            {
                var targets = await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT target FROM aliases WHERE address = @address", new { address }, tx, cancellationToken: ct)).ConfigureAwait(false);
                foreach (var t in targets)
                {
                    if (t == alias)
                    {
                        throw new ConflictException($"alias loop: {string.Join(" -> ", path.Append(t))}; remove one of these aliases first");
                    }

                    if (seen.Add(t))
                    {
                        next.Add((t, [.. path, t]));
                    }
                }
            }

            if (next.Count > 0 && depth >= RecipientDirectory.MaxAliasDepth)
            {
                throw new ConflictException(
                    $"alias chain from {alias} would be deeper than {RecipientDirectory.MaxAliasDepth} levels: {string.Join(" -> ", next[0].Path)}");
            }

            frontier = next;
        }
    }
}
