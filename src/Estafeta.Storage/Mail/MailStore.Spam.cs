using Dapper;

namespace Estafeta.Storage;

/// <summary>A stored message as a person looking through a mailbox sees it: who from, what about, and the
/// spam score the MX gave it with its reasons (null for mail that was not scored).</summary>
public sealed record MessageListing(long Uid, DateTimeOffset InternalDate, long Size, string? From, string? Subject, SpamVerdict? Spam);

public sealed partial class MailStore
{
    /// <summary>The messages of a mailbox in UID order, each with its spam score and reasons.</summary>
    public async Task<IReadOnlyList<MessageListing>> ListWithSpamVerdictsAsync(long mailboxId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ListingRow>(new CommandDefinition(
            """
            SELECT uid AS Uid, internal_date AS InternalDate, size AS Size, env_from AS EnvFrom, env_subject AS EnvSubject,
                spam_score AS SpamScore, spam_reasons AS SpamReasons
            FROM messages WHERE mailbox_id = @mailboxId ORDER BY uid
            """,
            new { mailboxId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new MessageListing(
            r.Uid, DateTimeOffset.FromUnixTimeMilliseconds(r.InternalDate), r.Size, r.EnvFrom, r.EnvSubject,
            r.SpamScore is { } score ? new SpamVerdict(score, SpamVerdict.SplitReasons(r.SpamReasons)) : null))];
    }

    private sealed class ListingRow
    {
        public long Uid { get; set; }
        public long InternalDate { get; set; }
        public long Size { get; set; }
        public string? EnvFrom { get; set; }
        public string? EnvSubject { get; set; }
        public double? SpamScore { get; set; }
        public string? SpamReasons { get; set; }
    }
}
