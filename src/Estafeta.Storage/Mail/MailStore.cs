using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// Mailboxes and messages of accounts: what POP3 and IMAP read and change. New messages arrive through
/// <see cref="DeliveryWriter"/>; everything else that changes the store is here.
/// </summary>
public sealed partial class MailStore
{
    private const int Chunk = 500;

    private const string MailboxColumns =
        """
        b.id AS Id, b.account_id AS AccountId, b.name AS Name, b.special_use AS SpecialUse, b.uid_validity AS UidValidity,
        b.uid_next AS UidNext, b.highest_modseq AS HighestModSeq, b.subscribed AS Subscribed,
        CAST(COUNT(m.id) AS BIGINT) AS MessageCount,
        CAST(COALESCE(SUM(CASE WHEN m.id IS NOT NULL AND (m.flags & 1) = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS UnseenCount,
        CAST(COALESCE(SUM(CASE WHEN (m.flags & 8) <> 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS DeletedCount,
        CAST(COALESCE(SUM(m.size), 0) AS BIGINT) AS TotalBytes,
        CAST(COALESCE(SUM(CASE WHEN m.uid > b.recent_uid THEN 1 ELSE 0 END), 0) AS BIGINT) AS RecentCount
        """;

    private const string MailboxGroupBy =
        "GROUP BY b.id, b.account_id, b.name, b.special_use, b.uid_validity, b.uid_next, b.highest_modseq, b.subscribed, b.recent_uid";

    private const string MessageColumns =
        """
        id AS Id, mailbox_id AS MailboxId, uid AS Uid, modseq AS ModSeq, blob_hash AS BlobHash, size AS Size,
        internal_date AS InternalDate, flags AS Flags, keywords AS Keywords
        """;

    private const string EnvelopeColumns =
        """
        id AS Id, uid AS Uid, env_date AS EnvDate, env_subject AS EnvSubject, env_from AS EnvFrom, env_sender AS EnvSender,
        env_reply_to AS EnvReplyTo, env_to AS EnvTo, env_cc AS EnvCc, env_bcc AS EnvBcc, env_in_reply_to AS EnvInReplyTo,
        env_message_id AS EnvMessageId
        """;

    private readonly Database db;
    private readonly BlobStore blobs;

    public MailStore(Database db)
        : this(db, db.Blobs)
    {
    }

    public MailStore(Database db, BlobStore blobs)
    {
        this.db = db;
        this.blobs = blobs;
    }

    /// <summary>The account's mailboxes, INBOX first, then by name (ordinal).</summary>
    public async Task<IReadOnlyList<Mailbox>> ListMailboxesAsync(long accountId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Rows.MailboxRow>(new CommandDefinition(
            $"SELECT {MailboxColumns} FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id WHERE b.account_id = @accountId {MailboxGroupBy}",
            new { accountId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToMailbox())
            .OrderBy(m => m.Name == MailboxName.Inbox ? 0 : 1)
            .ThenBy(m => m.Name, StringComparer.Ordinal)];
    }

    /// <summary>The mailbox by name (INBOX in any case), or null.</summary>
    public async Task<Mailbox?> GetMailboxAsync(long accountId, string name, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(name);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.MailboxRow>(new CommandDefinition(
            $"SELECT {MailboxColumns} FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id WHERE b.account_id = @accountId AND b.name = @normalized {MailboxGroupBy}",
            new { accountId, normalized }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToMailbox();
    }

    public async Task<Mailbox?> GetMailboxByIdAsync(long mailboxId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.MailboxRow>(new CommandDefinition(
            $"SELECT {MailboxColumns} FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id WHERE b.id = @mailboxId {MailboxGroupBy}",
            new { mailboxId }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToMailbox();
    }

    /// <summary>Creates the mailbox, and any missing parent levels (<c>a/b/c</c> creates <c>a</c> and <c>a/b</c>).</summary>
    public async Task<Mailbox> CreateMailboxAsync(long accountId, string name, string? specialUse = null, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(name);
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await EnsureAccountAsync(connection, tx, accountId, ct).ConfigureAwait(false);
            if (await MailboxIdAsync(connection, tx, accountId, normalized, ct).ConfigureAwait(false) is not null)
            {
                throw new ConflictException($"mailbox {normalized} already exists");
            }

            await CreateParentsAsync(connection, tx, accountId, normalized, ct).ConfigureAwait(false);
            await MailboxRows.CreateAsync(connection, tx, db, accountId, normalized, specialUse, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        return (await GetMailboxAsync(accountId, normalized, ct).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Renames the mailbox and every mailbox below it (<c>a</c> to <c>b</c> also moves <c>a/x</c> to <c>b/x</c>).
    /// UIDVALIDITY and UIDs stay. INBOX cannot be renamed here.
    /// </summary>
    public async Task RenameMailboxAsync(long accountId, string oldName, string newName, CancellationToken ct = default)
    {
        var from = MailboxName.Normalize(oldName);
        var to = MailboxName.Normalize(newName);
        if (from == MailboxName.Inbox || to == MailboxName.Inbox)
        {
            throw new ConflictException("INBOX cannot be renamed, and no mailbox can be renamed to INBOX");
        }

        if (to.StartsWith(from + MailboxName.Separator, StringComparison.Ordinal))
        {
            throw new ConflictException($"mailbox {from} cannot be moved below itself ({to})");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        _ = await MailboxIdAsync(connection, tx, accountId, from, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"mailbox {from} does not exist");
        if (await MailboxIdAsync(connection, tx, accountId, to, ct).ConfigureAwait(false) is not null)
        {
            throw new ConflictException($"mailbox {to} already exists");
        }

        var prefix = from + MailboxName.Separator;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE mailboxes SET name = @to || substr(name, length(@from) + 1)
                WHERE account_id = @accountId AND (name = @from OR substr(name, 1, length(@prefix)) = @prefix)
                """,
                new { accountId, from, to, prefix }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"renaming {from} to {to} would collide with an existing mailbox below {to}", e);
        }

        await CreateParentsAsync(connection, tx, accountId, to, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the mailbox and its messages (the quota usage drops, unreferenced message files are removed).
    /// Mailboxes below it stay. INBOX cannot be deleted.
    /// </summary>
    public async Task DeleteMailboxAsync(long accountId, string name, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(name);
        if (normalized == MailboxName.Inbox)
        {
            throw new ConflictException("INBOX cannot be deleted");
        }

        List<string> hashes;
        long modseq;
        MailboxChangeFeed.Retirement retirement = default;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var mailboxId = await MailboxIdAsync(connection, tx, accountId, normalized, ct).ConfigureAwait(false)
                ?? throw new NotFoundException($"mailbox {normalized} does not exist");
            // Locks the mailbox row before the account row, the order DeliveryWriter uses.
            modseq = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = @mailboxId RETURNING highest_modseq",
                new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException($"mailbox {normalized} does not exist");
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO expunged_messages (mailbox_id, uid, modseq) SELECT mailbox_id, uid, @modseq FROM messages WHERE mailbox_id = @mailboxId",
                new { mailboxId, modseq }, tx, cancellationToken: ct)).ConfigureAwait(false);
            hashes = [.. await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT DISTINCT blob_hash FROM messages WHERE mailbox_id = @mailboxId",
                new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false)];
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE accounts SET used_bytes = used_bytes - (SELECT COALESCE(SUM(size), 0) FROM messages WHERE mailbox_id = @mailboxId)
                WHERE id = @accountId
                """,
                new { mailboxId, accountId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM messages WHERE mailbox_id = @mailboxId", new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM mailboxes WHERE id = @mailboxId", new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            retirement = db.Changes.Retire(mailboxId);
            try
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                retirement.Undo();
                throw;
            }
        }

        retirement.Complete(modseq);
        await BlobCollector.DeleteUnreferencedAsync(db, hashes).ConfigureAwait(false);
    }

    public async Task SetSubscribedAsync(long accountId, string name, bool subscribed, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(name);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mailboxes SET subscribed = @value WHERE account_id = @accountId AND name = @normalized",
            new { value = subscribed ? 1L : 0L, accountId, normalized }, cancellationToken: ct)).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new NotFoundException($"mailbox {normalized} does not exist");
        }
    }

    /// <summary>The messages of a mailbox with UID at least <paramref name="fromUid"/>, ordered by UID.</summary>
    public async Task<IReadOnlyList<MessageSummary>> ListMessagesAsync(long mailboxId, long fromUid = 1, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Rows.MessageRow>(new CommandDefinition(
            $"SELECT {MessageColumns} FROM messages WHERE mailbox_id = @mailboxId AND uid >= @fromUid ORDER BY uid",
            new { mailboxId, fromUid }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSummary())];
    }

    /// <summary>One message with its envelope, or null.</summary>
    public async Task<StoredMessage?> GetMessageAsync(long mailboxId, long uid, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.MessageRow>(new CommandDefinition(
            $"SELECT {MessageColumns} FROM messages WHERE mailbox_id = @mailboxId AND uid = @uid",
            new { mailboxId, uid }, cancellationToken: ct)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var envelope = await connection.QuerySingleAsync<Rows.EnvelopeRow>(new CommandDefinition(
            $"SELECT {EnvelopeColumns} FROM messages WHERE id = @id", new { id = row.Id }, cancellationToken: ct)).ConfigureAwait(false);
        return new StoredMessage(row.ToSummary(), envelope.ToEnvelope());
    }

    /// <summary>The envelopes of the given UIDs of a mailbox (missing UIDs are left out), keyed by UID.</summary>
    public async Task<IReadOnlyDictionary<long, MessageEnvelope>> GetEnvelopesAsync(
        long mailboxId, IReadOnlyCollection<long> uids, CancellationToken ct = default)
    {
        var result = new Dictionary<long, MessageEnvelope>();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        foreach (var chunk in uids.Distinct().Chunk(Chunk))
        {
            var rows = await connection.QueryAsync<Rows.EnvelopeRow>(new CommandDefinition(
                $"SELECT {EnvelopeColumns} FROM messages WHERE mailbox_id = @mailboxId AND {db.Dialect.In("uid", "chunk")}",
                new { mailboxId, chunk }, cancellationToken: ct)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                result[row.Uid] = row.ToEnvelope();
            }
        }

        return result;
    }

    /// <summary>Opens a message's content (the whole RFC 5322 message as received).</summary>
    public Stream OpenContent(MessageSummary message) => blobs.OpenRead(message.BlobHash);

    /// <summary>
    /// Changes the flags and keywords of the given messages. Each message that actually changes gets the mailbox's
    /// next modseq (one per call per mailbox). Returns the resulting state of every message found.
    /// </summary>
    public async Task<IReadOnlyList<FlagChange>> SetFlagsAsync(
        IReadOnlyCollection<long> messageIds,
        FlagOperation operation,
        MessageFlags flags,
        IReadOnlyCollection<string>? keywords = null,
        CancellationToken ct = default)
    {
        var keywordSet = ValidateKeywords(keywords);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        // Lock the mailboxes (in id order) before reading the flags, so concurrent changes never overwrite each other.
        foreach (var mailboxId in await MailboxIdsOfAsync(connection, tx, db.Dialect, messageIds, ct).ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE mailboxes SET highest_modseq = highest_modseq WHERE id = @mailboxId", new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        var rows = await LoadAsync(connection, tx, db.Dialect, messageIds, ct).ConfigureAwait(false);
        var results = new List<FlagChange>(rows.Count);
        var changes = new List<(Rows.MessageRow Row, MessageFlags Flags, string Keywords)>();
        foreach (var row in rows.OrderBy(r => r.MailboxId).ThenBy(r => r.Uid))
        {
            var oldFlags = (MessageFlags)row.Flags;
            var oldKeywords = Rows.SplitKeywords(row.Keywords);
            var (newFlags, newKeywords) = Apply(operation, oldFlags, oldKeywords, flags, keywordSet);
            var newKeywordText = Rows.JoinKeywords(newKeywords);
            if (newFlags == oldFlags && newKeywordText == Rows.JoinKeywords(oldKeywords))
            {
                results.Add(new FlagChange(row.Id, row.MailboxId, row.Uid, row.ModSeq, oldFlags, oldKeywords));
            }
            else
            {
                changes.Add((row, newFlags, newKeywordText));
            }
        }

        // Mailboxes first, in id order, like every other writer (no lock-order deadlocks on PostgreSQL).
        var modseqByMailbox = new Dictionary<long, long>();
        foreach (var mailboxId in changes.Select(c => c.Row.MailboxId).Distinct().Order())
        {
            modseqByMailbox[mailboxId] = await BumpModSeqAsync(connection, tx, mailboxId, ct).ConfigureAwait(false);
        }

        foreach (var (row, newFlags, newKeywordText) in changes)
        {
            var modseq = modseqByMailbox[row.MailboxId];
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE messages SET flags = @flags, keywords = @keywords, modseq = @modseq WHERE id = @id",
                new { flags = (long)newFlags, keywords = newKeywordText, modseq, id = row.Id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            results.Add(new FlagChange(row.Id, row.MailboxId, row.Uid, modseq, newFlags, Rows.SplitKeywords(newKeywordText)));
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        Publish(modseqByMailbox);
        return [.. results.OrderBy(r => r.MailboxId).ThenBy(r => r.Uid)];
    }

    /// <summary>
    /// Removes the given messages: their rows go, the accounts' used bytes drop and the mailboxes' modseq rises in
    /// the same transaction; then message files no longer referenced are deleted. Unknown ids are ignored.
    /// </summary>
    public async Task<IReadOnlyList<ExpungedMessage>> ExpungeAsync(IReadOnlyCollection<long> messageIds, CancellationToken ct = default)
    {
        List<Rows.MessageRow> rows;
        var modseqByMailbox = new Dictionary<long, long>();
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            // Mailboxes, then messages, then accounts, each in id order: the lock order of every writer here
            // and of DeliveryWriter, so concurrent transactions never deadlock on PostgreSQL. The rows actually
            // deleted (RETURNING) are what is accounted, so a concurrent expunge of the same ids is harmless.
            var mailboxIds = await MailboxIdsOfAsync(connection, tx, db.Dialect, messageIds, ct).ConfigureAwait(false);
            if (mailboxIds.Count == 0)
            {
                return [];
            }

            var accountOf = new Dictionary<long, long>();
            foreach (var mailboxId in mailboxIds)
            {
                modseqByMailbox[mailboxId] = await BumpModSeqAsync(connection, tx, mailboxId, ct).ConfigureAwait(false);
                accountOf[mailboxId] = await connection.QuerySingleAsync<long>(new CommandDefinition(
                    "SELECT account_id FROM mailboxes WHERE id = @mailboxId", new { mailboxId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            rows = [];
            foreach (var chunk in messageIds.Distinct().Chunk(Chunk))
            {
                // The expunge log takes each mailbox's new modseq, bumped above in this transaction.
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO expunged_messages (mailbox_id, uid, modseq)
                    SELECT m.mailbox_id, m.uid, b.highest_modseq FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
                    WHERE {db.Dialect.In("m.id", "chunk")}
                    """,
                    new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false);
                rows.AddRange(await connection.QueryAsync<Rows.MessageRow>(new CommandDefinition(
                    $"DELETE FROM messages WHERE {db.Dialect.In("id", "chunk")} RETURNING {MessageColumns}",
                    new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false));
            }

            var byMailbox = rows.GroupBy(r => r.MailboxId).ToList();
            foreach (var account in byMailbox.GroupBy(g => accountOf[g.Key]).OrderBy(g => g.Key))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE accounts SET used_bytes = used_bytes - @bytes WHERE id = @accountId",
                    new { bytes = account.Sum(g => g.Sum(r => r.Size)), accountId = account.Key }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        Publish(modseqByMailbox);
        await BlobCollector.DeleteUnreferencedAsync(db, [.. rows.Select(r => r.BlobHash)]).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.MailboxId).ThenBy(r => r.Uid).Select(r => new ExpungedMessage(r.Id, r.MailboxId, r.Uid))];
    }

    private static async Task<List<Rows.MessageRow>> LoadAsync(
        DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rows = new List<Rows.MessageRow>();
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            rows.AddRange(await connection.QueryAsync<Rows.MessageRow>(new CommandDefinition(
                $"SELECT {MessageColumns} FROM messages WHERE {dialect.In("id", "chunk")}", new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false));
        }

        return rows;
    }

    private static async Task<List<long>> MailboxIdsOfAsync(
        DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var mailboxIds = new SortedSet<long>();
        foreach (var chunk in ids.Distinct().Chunk(Chunk))
        {
            mailboxIds.UnionWith(await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT DISTINCT mailbox_id FROM messages WHERE {dialect.In("id", "chunk")}", new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false));
        }

        return [.. mailboxIds];
    }

    /// <summary>Tells this process's watchers about committed changes (mailbox id to its new highest modseq).</summary>
    private void Publish(IReadOnlyDictionary<long, long> modseqByMailbox)
    {
        foreach (var (mailboxId, modseq) in modseqByMailbox)
        {
            db.Changes.Publish(mailboxId, modseq);
        }
    }

    private static Task<long> BumpModSeqAsync(DbConnection connection, DbTransaction tx, long mailboxId, CancellationToken ct) =>
        connection.QuerySingleAsync<long>(new CommandDefinition(
            "UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = @mailboxId RETURNING highest_modseq",
            new { mailboxId }, tx, cancellationToken: ct));

    private static (MessageFlags Flags, IReadOnlyList<string> Keywords) Apply(
        FlagOperation operation, MessageFlags oldFlags, IReadOnlyList<string> oldKeywords, MessageFlags flags, IReadOnlyList<string> keywords) =>
        operation switch
        {
            FlagOperation.Replace => (flags, keywords),
            FlagOperation.Add => (oldFlags | flags, [.. oldKeywords.Union(keywords, StringComparer.OrdinalIgnoreCase)]),
            FlagOperation.Remove => (oldFlags & ~flags, [.. oldKeywords.Where(k => !keywords.Contains(k, StringComparer.OrdinalIgnoreCase))]),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

    internal static IReadOnlyList<string> ValidateKeywords(IReadOnlyCollection<string>? keywords)
    {
        if (keywords is null)
        {
            return [];
        }

        foreach (var keyword in keywords)
        {
            if (keyword.Length == 0 || keyword[0] == '\\'
                || keyword.Any(c => c <= ' ' || c >= 0x7f || c is '(' or ')' or '{' or '%' or '*' or '"' or ']'))
            {
                throw new InvalidInputException($"'{keyword}' is not a valid IMAP keyword");
            }
        }

        return [.. keywords.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private static async Task EnsureAccountAsync(DbConnection connection, DbTransaction tx, long accountId, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM accounts WHERE id = @accountId", new { accountId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (exists == 0)
        {
            throw new NotFoundException($"account {accountId} does not exist");
        }
    }

    private static Task<long?> MailboxIdAsync(DbConnection connection, DbTransaction tx, long accountId, string name, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM mailboxes WHERE account_id = @accountId AND name = @name", new { accountId, name }, tx, cancellationToken: ct));

    private async Task CreateParentsAsync(DbConnection connection, DbTransaction tx, long accountId, string name, CancellationToken ct)
    {
        for (var slash = name.IndexOf(MailboxName.Separator, StringComparison.Ordinal);
             slash > 0;
             slash = name.IndexOf(MailboxName.Separator, slash + 1))
        {
            var parent = name[..slash];
            if (await MailboxIdAsync(connection, tx, accountId, parent, ct).ConfigureAwait(false) is null)
            {
                await MailboxRows.CreateAsync(connection, tx, db, accountId, parent, null, ct).ConfigureAwait(false);
            }
        }
    }
}
