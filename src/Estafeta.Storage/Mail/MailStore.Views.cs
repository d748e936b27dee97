using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>The reads IMAP makes of open mailboxes: one statement each (or one snapshot), by UID.</summary>
public sealed partial class MailStore
{
    private const string InfoColumns =
        """
        b.id AS Id, b.account_id AS AccountId, b.name AS Name, b.special_use AS SpecialUse, b.uid_validity AS UidValidity,
        b.uid_next AS UidNext, b.highest_modseq AS HighestModSeq, b.subscribed AS Subscribed
        """;

    // The message columns of MessageColumns, qualified for a join with the mailbox row (alias m).
    private const string JoinedMessageColumns =
        """
        m.id AS Id, m.mailbox_id AS MailboxId, m.uid AS Uid, m.modseq AS ModSeq, m.blob_hash AS BlobHash, m.size AS Size,
        m.internal_date AS InternalDate, m.flags AS Flags, m.keywords AS Keywords
        """;

    // The mailbox the key names, as it was opened: gone (or another mailbox that got its id) matches nothing.
    private const string KeyCondition = "b.id = @mailboxId AND b.account_id = @accountId AND b.uid_validity = @uidValidity";

    /// <summary>The account's mailboxes without message counts (cheap: no message row is read), in any order.</summary>
    public async Task<IReadOnlyList<MailboxInfo>> ListMailboxInfosAsync(long accountId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Rows.MailboxRow>(new CommandDefinition(
            $"SELECT {InfoColumns} FROM mailboxes b WHERE b.account_id = @accountId", new { accountId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToInfo())];
    }

    /// <summary>The account's mailbox by name (INBOX in any case) without message counts, or null.</summary>
    public async Task<MailboxInfo?> GetMailboxInfoAsync(long accountId, string name, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(name);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.MailboxRow>(new CommandDefinition(
            $"SELECT {InfoColumns} FROM mailboxes b WHERE b.account_id = @accountId AND b.name = @normalized",
            new { accountId, normalized }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToInfo();
    }

    /// <summary>Every UID with UIDNEXT, HIGHESTMODSEQ, the keywords in use and the first unseen UID, in one
    /// statement (so one moment); null when the mailbox is gone.</summary>
    public async Task<MailboxOverview?> GetOverviewAsync(MailboxKey mailbox, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<OverviewRow>(new CommandDefinition(
            $"""
            SELECT b.uid_next AS UidNext, b.highest_modseq AS HighestModSeq, m.uid AS Uid, m.flags AS Flags, m.keywords AS Keywords
            FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id
            WHERE {KeyCondition}
            ORDER BY m.uid
            """,
            KeyParameters(mailbox), cancellationToken: ct)).ConfigureAwait(false)).AsList();
        if (rows.Count == 0)
        {
            return null;
        }

        var messages = rows.Where(r => r.Uid is not null).ToList();
        var keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in messages.Where(r => r.Keywords is { Length: > 0 }))
        {
            keywords.UnionWith(Rows.SplitKeywords(row.Keywords!));
        }

        var firstUnseen = messages.FirstOrDefault(r => ((MessageFlags)r.Flags!.Value & MessageFlags.Seen) == 0)?.Uid;
        db.Changes.Publish(mailbox.Id, rows[0].HighestModSeq);
        return new MailboxOverview(
            [.. messages.Select(r => r.Uid!.Value)], rows[0].UidNext, rows[0].HighestModSeq, [.. keywords.Order(StringComparer.Ordinal)], firstUnseen);
    }

    /// <summary>The messages whose UID is in <paramref name="uids"/> (inclusive ranges), ascending by UID; UIDs that
    /// do not exist are left out. Empty when the mailbox is gone.</summary>
    public async Task<IReadOnlyList<MessageSummary>> ListMessagesAsync(
        MailboxKey mailbox, IReadOnlyList<(long First, long Last)> uids, CancellationToken ct = default)
    {
        var filter = UidFilter.Of(uids);
        if (filter.IsEmpty)
        {
            return [];
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await SelectByUidAsync(connection, null, mailbox, filter, "", ct).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSummary())];
    }

    /// <summary>Every UID of the mailbox, ascending (empty when the mailbox is gone).</summary>
    public async Task<IReadOnlyList<long>> ListUidsAsync(MailboxKey mailbox, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var uids = await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT m.uid FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id WHERE m.mailbox_id = @mailboxId AND {KeyCondition} ORDER BY m.uid",
            KeyParameters(mailbox), cancellationToken: ct)).ConfigureAwait(false);
        return uids.AsList();
    }

    /// <summary>
    /// The messages changed (added or flagged) and the UIDs expunged after <paramref name="sinceModSeq"/>, with the
    /// mailbox's highest modseq, all read in one snapshot so the answer is complete up to that modseq. Null when
    /// the mailbox is gone. Also raises <see cref="Database.Changes"/> to what it read, which is how changes made by
    /// another process reach this one.
    /// </summary>
    public async Task<MailboxChangeSet?> GetChangesSinceAsync(MailboxKey mailbox, long sinceModSeq, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var parameters = KeyParameters(mailbox);
        parameters.Add("sinceModSeq", sinceModSeq);
        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT b.highest_modseq AS HighestModSeq, b.uid_next AS UidNext FROM mailboxes b WHERE {KeyCondition}",
            parameters, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        var changed = await connection.QueryAsync<Rows.MessageRow>(new CommandDefinition(
            $"SELECT {MessageColumns} FROM messages WHERE mailbox_id = @mailboxId AND modseq > @sinceModSeq ORDER BY uid",
            parameters, tx, cancellationToken: ct)).ConfigureAwait(false);
        var vanished = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT uid FROM expunged_messages WHERE mailbox_id = @mailboxId AND modseq > @sinceModSeq ORDER BY uid",
            parameters, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        db.Changes.Publish(mailbox.Id, head.HighestModSeq);
        return new MailboxChangeSet([.. changed.Select(r => r.ToSummary())], vanished.AsList(), head.HighestModSeq, head.UidNext);
    }

    /// <summary>
    /// IMAP \Recent (RFC 3501 §2.3.2): a message is recent for exactly one session, the first to select the mailbox
    /// or to learn of the message while it has the mailbox selected. The mailbox remembers the highest UID handed
    /// out so; this returns it as it was and, with <paramref name="claim"/>, raises it to <paramref name="upToUid"/>,
    /// so the caller's recent messages are those with a UID above the returned value, up to
    /// <paramref name="upToUid"/>. Without <paramref name="claim"/> (EXAMINE) nothing changes. Atomic: of two sessions
    /// claiming the same UIDs at once, one gets them and the other gets the raised value. A mailbox that is gone
    /// returns <paramref name="upToUid"/> (nothing recent).
    /// </summary>
    public async Task<long> ClaimRecentAsync(MailboxKey mailbox, long upToUid, bool claim, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var parameters = KeyParameters(mailbox);
        parameters.Add("upToUid", upToUid);
        while (true)
        {
            var current = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                $"SELECT b.recent_uid FROM mailboxes b WHERE {KeyCondition}", parameters, cancellationToken: ct)).ConfigureAwait(false);
            if (current is not { } previous)
            {
                return upToUid;
            }

            if (!claim || previous >= upToUid)
            {
                return previous;
            }

            // Compare and set: another session that raised it meanwhile makes this update match no row, and the
            // loop reads the raised value (PostgreSQL re-checks the condition after waiting for the row lock).
            parameters.Add("previous", previous);
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE mailboxes SET recent_uid = @upToUid WHERE id = @mailboxId AND uid_validity = @uidValidity AND recent_uid = @previous",
                parameters, cancellationToken: ct)).ConfigureAwait(false);
            if (updated == 1)
            {
                return previous;
            }
        }
    }

    private static DynamicParameters KeyParameters(MailboxKey mailbox)
    {
        var parameters = new DynamicParameters();
        parameters.Add("mailboxId", mailbox.Id);
        parameters.Add("accountId", mailbox.AccountId);
        parameters.Add("uidValidity", mailbox.UidValidity);
        return parameters;
    }

    /// <summary>The rows of the mailbox in <paramref name="filter"/>, ascending by UID, with an extra condition on m.</summary>
    private static async Task<List<Rows.MessageRow>> SelectByUidAsync(
        DbConnection connection, DbTransaction? tx, MailboxKey mailbox, UidFilter filter, string condition, CancellationToken ct)
    {
        var parameters = KeyParameters(mailbox);
        var uidCondition = filter.Sql("m.uid", parameters);
        var rows = await connection.QueryAsync<Rows.MessageRow>(new CommandDefinition(
            $"""
            SELECT {JoinedMessageColumns} FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
            WHERE m.mailbox_id = @mailboxId AND {KeyCondition}{uidCondition}{condition}
            ORDER BY m.uid
            """,
            parameters, tx, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Where(r => filter.Contains(r.Uid))];
    }

    private sealed class OverviewRow
    {
        public long UidNext { get; set; }
        public long HighestModSeq { get; set; }
        public long? Uid { get; set; }
        public long? Flags { get; set; }
        public string? Keywords { get; set; }
    }

    private sealed class HeadRow
    {
        public long HighestModSeq { get; set; }
        public long UidNext { get; set; }
    }
}
