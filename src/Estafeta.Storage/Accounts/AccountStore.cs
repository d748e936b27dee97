using Dapper;

namespace Estafeta.Storage;

/// <summary>Accounts: a login (the canonical address), its password hash, quota and mailboxes.</summary>
public sealed class AccountStore(Database db)
{
    private const string Columns =
        "a.id AS Id, a.domain_id AS DomainId, a.address AS Address, a.password_hash AS PasswordHash, " +
        "a.quota_bytes AS QuotaBytes, a.used_bytes AS UsedBytes, a.created_at AS CreatedAt";

    // Verified against for unknown addresses, so they cost as much as known ones.
    private static readonly Lazy<string> UnknownAccountHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    /// <summary>
    /// Creates the account with its default mailboxes (INBOX, Sent, Drafts, Junk, Trash, Archive).
    /// The domain must be local already; the address must not be an alias.
    /// </summary>
    public async Task<Account> AddAsync(string address, string password, long quotaBytes = 0, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        ValidatePassword(password);
        ArgumentOutOfRangeException.ThrowIfNegative(quotaBytes);
        var hash = PasswordHasher.Hash(password);

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var domain = MailAddressCanonical.DomainOf(canonical);
        var domainId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM domains WHERE name = @domain", new { domain }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"domain {domain} is not a local domain; add the domain first");
        var aliases = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM aliases WHERE address = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (aliases > 0)
        {
            throw new ConflictException($"{canonical} is an alias; remove the alias before creating an account with that address");
        }

        Rows.AccountRow row;
        try
        {
            row = await connection.QuerySingleAsync<Rows.AccountRow>(new CommandDefinition(
                """
                INSERT INTO accounts (domain_id, address, password_hash, quota_bytes, used_bytes, last_uid_validity, created_at)
                VALUES (@domainId, @canonical, @hash, @quotaBytes, 0, 0, @now)
                RETURNING id AS Id, domain_id AS DomainId, address AS Address, password_hash AS PasswordHash,
                          quota_bytes AS QuotaBytes, used_bytes AS UsedBytes, created_at AS CreatedAt
                """,
                new { domainId, canonical, hash, quotaBytes, now = db.NowMilliseconds() }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"account {canonical} already exists", e);
        }

        foreach (var (name, specialUse) in MailboxName.Defaults)
        {
            await MailboxRows.CreateAsync(connection, tx, db, row.Id, name, specialUse, ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return row.ToAccount();
    }

    /// <summary>All accounts, or those of one domain, ordered by address.</summary>
    public async Task<IReadOnlyList<Account>> ListAsync(string? domain = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = domain is null
            ? await connection.QueryAsync<Rows.AccountRow>(new CommandDefinition(
                $"SELECT {Columns} FROM accounts a ORDER BY a.address", cancellationToken: ct)).ConfigureAwait(false)
            : await connection.QueryAsync<Rows.AccountRow>(new CommandDefinition(
                $"SELECT {Columns} FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE d.name = @domain ORDER BY a.address",
                new { domain = MailAddressCanonical.Domain(domain) }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAccount())];
    }

    /// <summary>The account with that address (any case or Unicode form), or null.</summary>
    public async Task<Account?> GetAsync(string address, CancellationToken ct = default)
    {
        if (!MailAddressCanonical.TryAddress(address, out var canonical))
        {
            return null;
        }

        return (await FindAsync(canonical, ct).ConfigureAwait(false))?.ToAccount();
    }

    public async Task<Account?> GetByIdAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts a WHERE a.id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToAccount();
    }

    public async Task SetPasswordAsync(string address, string password, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        ValidatePassword(password);
        var hash = PasswordHasher.Hash(password);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "UPDATE accounts SET password_hash = @hash WHERE address = @canonical RETURNING id",
            new { hash, canonical }, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"account {canonical} does not exist");
        db.PasswordCache.Forget(id);
    }

    /// <summary>Sets the quota in bytes; 0 means unlimited.</summary>
    public async Task SetQuotaAsync(string address, long quotaBytes, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        ArgumentOutOfRangeException.ThrowIfNegative(quotaBytes);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET quota_bytes = @quotaBytes WHERE address = @canonical",
            new { quotaBytes, canonical }, cancellationToken: ct)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new NotFoundException($"account {canonical} does not exist");
        }
    }

    /// <summary>
    /// Removes the account with its mailboxes and messages (message files no longer referenced are deleted).
    /// Queued outbound mail it submitted stays queued. Aliases or catch-alls pointing at it are left as they are
    /// and resolve to nothing until the address exists again.
    /// </summary>
    public async Task RemoveAsync(string address, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        List<string> hashes;
        long id;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM accounts WHERE address = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException($"account {canonical} does not exist");
            var mailboxIds = (await connection.QueryAsync<long>(new CommandDefinition(
                "UPDATE mailboxes SET highest_modseq = highest_modseq WHERE account_id = @id RETURNING id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false)).AsList();
            hashes = [.. await connection.QueryAsync<string>(new CommandDefinition(
                """
                SELECT DISTINCT m.blob_hash FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.account_id = @id
                """,
                new { id }, tx, cancellationToken: ct)).ConfigureAwait(false)];
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM messages WHERE mailbox_id IN (SELECT id FROM mailboxes WHERE account_id = @id)",
                new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM expunged_messages WHERE mailbox_id IN (SELECT id FROM mailboxes WHERE account_id = @id)",
                new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM mailboxes WHERE account_id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM accounts WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            // Sessions that have these mailboxes open keep their feed entries; their ids may be reused.
            var retired = mailboxIds.Select(db.Changes.Retire).ToList();
            try
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                retired.ForEach(r => r.Undo());
                throw;
            }
        }

        db.PasswordCache.Forget(id);
        await BlobCollector.DeleteUnreferencedAsync(db, hashes).ConfigureAwait(false);
    }

    /// <summary>
    /// The account when <paramref name="password"/> is right, else null (also for an unknown address, after the
    /// same amount of work, so the timing does not tell which addresses exist). Recent successes are served from
    /// <see cref="PasswordVerificationCache"/>.
    /// </summary>
    public async Task<Account?> VerifyPasswordAsync(string address, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        var row = MailAddressCanonical.TryAddress(address, out var canonical)
            ? await FindAsync(canonical, ct).ConfigureAwait(false)
            : null;
        if (row is null)
        {
            PasswordHasher.Verify(password, UnknownAccountHash.Value);
            return null;
        }

        var now = db.Time.GetUtcNow();
        if (db.PasswordCache.IsKnownGood(row.Id, password, row.PasswordHash, now))
        {
            return row.ToAccount();
        }

        if (!PasswordHasher.Verify(password, row.PasswordHash))
        {
            return null;
        }

        db.PasswordCache.RememberGood(row.Id, password, row.PasswordHash, now);
        return row.ToAccount();
    }

    private async Task<Rows.AccountRow?> FindAsync(string canonical, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<Rows.AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts a WHERE a.address = @canonical", new { canonical }, cancellationToken: ct)).ConfigureAwait(false);
    }

    private static void ValidatePassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            throw new InvalidInputException("the password is empty");
        }
    }
}
