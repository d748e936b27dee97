using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>Mailbox creation inside a caller's transaction, shared by account creation and IMAP CREATE.</summary>
internal static class MailboxRows
{
    /// <summary>
    /// Inserts the mailbox with a fresh UIDVALIDITY: the current Unix time in seconds, or one more than the last
    /// one handed out for the account when that is later, so every mailbox creation of an account (including
    /// deleting and re-creating the same name within a second) gets a distinct value.
    /// </summary>
    public static async Task<long> CreateAsync(
        DbConnection connection, DbTransaction tx, Database db, long accountId, string name, string? specialUse, CancellationToken ct)
    {
        var nowSeconds = db.Time.GetUtcNow().ToUnixTimeSeconds();
        var uidValidity = await connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            UPDATE accounts
            SET last_uid_validity = CASE WHEN last_uid_validity + 1 > @nowSeconds THEN last_uid_validity + 1 ELSE @nowSeconds END
            WHERE id = @accountId
            RETURNING last_uid_validity
            """,
            new { accountId, nowSeconds }, tx, cancellationToken: ct)).ConfigureAwait(false);
        long id;
        try
        {
            id = await connection.QuerySingleAsync<long>(new CommandDefinition(
                """
                INSERT INTO mailboxes (account_id, name, special_use, uid_validity, uid_next, highest_modseq, subscribed, created_at)
                VALUES (@accountId, @name, @specialUse, @uidValidity, 1, 1, 1, @now)
                RETURNING id
                """,
                new { accountId, name, specialUse, uidValidity, now = db.NowMilliseconds() }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"mailbox {name} already exists", e);
        }

        // SQLite may hand out the id of a deleted mailbox again; its expunge log is not this mailbox's.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM expunged_messages WHERE mailbox_id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return id;
    }
}
