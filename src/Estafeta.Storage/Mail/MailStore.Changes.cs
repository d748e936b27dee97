using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>The changes IMAP makes to an open mailbox, by UID: STORE (with CONDSTORE), EXPUNGE, COPY and MOVE.</summary>
public sealed partial class MailStore
{
    private const string CopiedColumns =
        """
        blob_hash, size, internal_date, flags, keywords,
        env_date, env_subject, env_from, env_sender, env_reply_to, env_to, env_cc, env_bcc, env_in_reply_to, env_message_id,
        spam_score, spam_reasons
        """;

    /// <summary>
    /// Changes the flags and keywords of the messages of <paramref name="uids"/> (inclusive ranges) in one mailbox.
    /// With <paramref name="unchangedSince"/> (RFC 7162 CONDSTORE), a message whose modseq is greater is left alone
    /// and reported in <see cref="FlagUpdate.FailedUids"/>. Messages that really change take the mailbox's next
    /// modseq (one for the call). Nothing happens when the mailbox is gone.
    /// </summary>
    public async Task<FlagUpdate> SetFlagsAsync(
        MailboxKey mailbox,
        IReadOnlyList<(long First, long Last)> uids,
        FlagOperation operation,
        MessageFlags flags,
        IReadOnlyCollection<string>? keywords,
        long? unchangedSince = null,
        CancellationToken ct = default)
    {
        var keywordSet = ValidateKeywords(keywords);
        var filter = UidFilter.Of(uids);
        if (filter.IsEmpty)
        {
            return new FlagUpdate([], []);
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        if (!await LockAsync(connection, tx, mailbox, ct).ConfigureAwait(false))
        {
            return new FlagUpdate([], []);
        }

        var rows = await SelectByUidAsync(connection, tx, mailbox, filter, "", ct).ConfigureAwait(false);
        var failed = unchangedSince is { } limit ? rows.Where(r => r.ModSeq > limit).Select(r => r.Uid).ToList() : [];
        var results = new List<MessageSummary>(rows.Count);
        var changes = new List<(Rows.MessageRow Row, MessageFlags Flags, string Keywords)>();
        foreach (var row in rows.Where(r => unchangedSince is not { } limit || r.ModSeq <= limit))
        {
            var oldKeywords = Rows.SplitKeywords(row.Keywords);
            var (newFlags, newKeywords) = Apply(operation, (MessageFlags)row.Flags, oldKeywords, flags, keywordSet);
            var newKeywordText = Rows.JoinKeywords(newKeywords);
            if (newFlags == (MessageFlags)row.Flags && newKeywordText == Rows.JoinKeywords(oldKeywords))
            {
                results.Add(row.ToSummary());
            }
            else
            {
                changes.Add((row, newFlags, newKeywordText));
            }
        }

        var modseq = 0L;
        if (changes.Count > 0)
        {
            modseq = await BumpModSeqAsync(connection, tx, mailbox.Id, ct).ConfigureAwait(false);
            // One statement per distinct result: "+FLAGS (\Seen)" over a thousand messages is one UPDATE.
            foreach (var group in changes.GroupBy(c => (c.Flags, c.Keywords)))
            {
                foreach (var chunk in group.Select(c => c.Row.Id).Chunk(Chunk))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        $"UPDATE messages SET flags = @flags, keywords = @keywords, modseq = @modseq WHERE {db.Dialect.In("id", "chunk")}",
                        new { flags = (long)group.Key.Flags, keywords = group.Key.Keywords, modseq, chunk }, tx, cancellationToken: ct)).ConfigureAwait(false);
                }

                results.AddRange(group.Select(c => c.Row.ToSummary() with
                {
                    ModSeq = modseq,
                    Flags = c.Flags,
                    Keywords = Rows.SplitKeywords(c.Keywords),
                }));
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        if (modseq > 0)
        {
            db.Changes.Publish(mailbox.Id, modseq);
        }

        return new FlagUpdate([.. results.OrderBy(r => r.Uid)], failed);
    }

    /// <summary>
    /// Removes the messages of the mailbox flagged \Deleted: all of them, or only those within <paramref name="uids"/>
    /// (IMAP UID EXPUNGE). The expunge takes one modseq, is written to the expunge log, and lowers the account's
    /// used bytes in the same transaction; unreferenced message files are deleted afterwards.
    /// </summary>
    public async Task<MailboxExpunge> ExpungeDeletedAsync(
        MailboxKey mailbox, IReadOnlyList<(long First, long Last)>? uids = null, CancellationToken ct = default)
    {
        var filter = UidFilter.Of(uids);
        if (filter.IsEmpty)
        {
            return new MailboxExpunge([], 0);
        }

        List<Rows.MessageRow> rows;
        long modseq;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            if (!await LockAsync(connection, tx, mailbox, ct).ConfigureAwait(false))
            {
                return new MailboxExpunge([], 0);
            }

            rows = await SelectByUidAsync(connection, tx, mailbox, filter, " AND (m.flags & 8) <> 0", ct).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new MailboxExpunge([], 0);
            }

            modseq = await BumpModSeqAsync(connection, tx, mailbox.Id, ct).ConfigureAwait(false);
            await DeleteLoggedAsync(connection, tx, mailbox, modseq, rows, releaseBytes: true, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        db.Changes.Publish(mailbox.Id, modseq);
        await BlobCollector.DeleteUnreferencedAsync(db, [.. rows.Select(r => r.BlobHash)]).ConfigureAwait(false);
        return new MailboxExpunge([.. rows.Select(r => r.Uid)], modseq);
    }

    /// <summary>
    /// Copies the messages of <paramref name="uids"/> from <paramref name="source"/> to the account's mailbox
    /// <paramref name="targetName"/> in one transaction (with <paramref name="move"/>, the sources are expunged in
    /// it too). The copies get consecutive new UIDs in source-UID order and one new modseq, keeping flags, keywords
    /// and internal dates. A copy must fit the account's quota, else <see cref="QuotaExceededException"/> and
    /// nothing is copied; a move does not change the account's usage. <see cref="NotFoundException"/> when the
    /// target does not exist. Nothing is copied when the source is gone.
    /// </summary>
    public async Task<MessageCopy> CopyMessagesAsync(
        MailboxKey source, IReadOnlyList<(long First, long Last)> uids, string targetName, bool move, CancellationToken ct = default)
    {
        var normalized = MailboxName.Normalize(targetName);
        var filter = UidFilter.Of(uids);
        long targetModSeq = 0, sourceModSeq = 0, firstUid = 0;
        List<Rows.MessageRow> rows;
        (long Id, long UidValidity) target;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            target = await connection.QuerySingleOrDefaultAsync<(long Id, long UidValidity)?>(new CommandDefinition(
                "SELECT id, uid_validity FROM mailboxes WHERE account_id = @accountId AND name = @normalized",
                new { accountId = source.AccountId, normalized }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException($"mailbox {normalized} does not exist");

            // Both mailboxes in id order, like every writer.
            var sourceExists = true;
            foreach (var id in new[] { source.Id, target.Id }.Distinct().Order())
            {
                if (id == source.Id)
                {
                    sourceExists = await LockAsync(connection, tx, source, ct).ConfigureAwait(false);
                }
                else if (!await LockAsync(connection, tx, new MailboxKey(source.AccountId, target.Id, target.UidValidity), ct).ConfigureAwait(false))
                {
                    throw new NotFoundException($"mailbox {normalized} does not exist");
                }
            }

            rows = sourceExists && !filter.IsEmpty
                ? await SelectByUidAsync(connection, tx, source, filter, "", ct).ConfigureAwait(false)
                : [];
            if (rows.Count == 0)
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return new MessageCopy(target.Id, target.UidValidity, [], [], 0, 0);
            }

            var reserved = await connection.QuerySingleAsync<(long UidNext, long HighestModSeq)>(new CommandDefinition(
                """
                UPDATE mailboxes SET uid_next = uid_next + @count, highest_modseq = highest_modseq + 1
                WHERE id = @targetId
                RETURNING uid_next, highest_modseq
                """,
                new { count = (long)rows.Count, targetId = target.Id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            firstUid = reserved.UidNext - rows.Count;
            targetModSeq = reserved.HighestModSeq;
            var offset = 0;
            foreach (var chunk in rows.Select(r => r.Id).Chunk(Chunk))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO messages (mailbox_id, uid, modseq, {CopiedColumns})
                    SELECT @targetId, @firstUid + ROW_NUMBER() OVER (ORDER BY uid) - 1, @modseq, {CopiedColumns}
                    FROM messages WHERE {db.Dialect.In("id", "chunk")}
                    """,
                    new { targetId = target.Id, firstUid = firstUid + offset, modseq = targetModSeq, chunk }, tx, cancellationToken: ct)).ConfigureAwait(false);
                offset += chunk.Length;
            }

            if (move)
            {
                sourceModSeq = await BumpModSeqAsync(connection, tx, source.Id, ct).ConfigureAwait(false);
                await DeleteLoggedAsync(connection, tx, source, sourceModSeq, rows, releaseBytes: false, ct).ConfigureAwait(false);
            }
            else
            {
                var bytes = rows.Sum(r => r.Size);
                var usage = await connection.QuerySingleAsync<(long UsedBytes, long QuotaBytes)>(new CommandDefinition(
                    "UPDATE accounts SET used_bytes = used_bytes + @bytes WHERE id = @accountId RETURNING used_bytes, quota_bytes",
                    new { bytes, accountId = source.AccountId }, tx, cancellationToken: ct)).ConfigureAwait(false);
                if (usage.QuotaBytes > 0 && usage.UsedBytes > usage.QuotaBytes)
                {
                    await tx.RollbackAsync(ct).ConfigureAwait(false);
                    throw new QuotaExceededException(
                        $"copying {rows.Count} messages ({bytes} bytes) would take the account over its quota of {usage.QuotaBytes} bytes");
                }
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        db.Changes.Publish(target.Id, targetModSeq);
        if (move)
        {
            db.Changes.Publish(source.Id, sourceModSeq);
        }

        return new MessageCopy(
            target.Id,
            target.UidValidity,
            [.. rows.Select(r => r.Uid)],
            [.. Enumerable.Range(0, rows.Count).Select(i => firstUid + i)],
            targetModSeq,
            sourceModSeq);
    }

    /// <summary>Locks the mailbox row the key names (the first lock of every writer); false when it is gone.</summary>
    private static async Task<bool> LockAsync(DbConnection connection, DbTransaction tx, MailboxKey mailbox, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            UPDATE mailboxes SET highest_modseq = highest_modseq
            WHERE id = @mailboxId AND account_id = @accountId AND uid_validity = @uidValidity
            RETURNING id
            """,
            KeyParameters(mailbox), tx, cancellationToken: ct)).ConfigureAwait(false) is not null;

    /// <summary>Deletes rows of one mailbox, recording them in the expunge log with <paramref name="modseq"/>; with
    /// <paramref name="releaseBytes"/> the account's used bytes drop by their size.</summary>
    private async Task DeleteLoggedAsync(
        DbConnection connection, DbTransaction tx, MailboxKey mailbox, long modseq, List<Rows.MessageRow> rows, bool releaseBytes, CancellationToken ct)
    {
        foreach (var chunk in rows.Select(r => r.Id).Chunk(Chunk))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO expunged_messages (mailbox_id, uid, modseq) SELECT mailbox_id, uid, @modseq FROM messages WHERE {db.Dialect.In("id", "chunk")}",
                new { modseq, chunk }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM messages WHERE {db.Dialect.In("id", "chunk")}", new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        if (releaseBytes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET used_bytes = used_bytes - @bytes WHERE id = @accountId",
                new { bytes = rows.Sum(r => r.Size), accountId = mailbox.AccountId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
    }
}
