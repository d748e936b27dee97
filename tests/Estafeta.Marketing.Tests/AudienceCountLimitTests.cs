using Dapper;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>A database of its own per backend: it is filled to the limits.</summary>
public abstract class AudienceCountLimitTests(AudienceBackend backend) : AudienceTests(backend)
{
    [Fact]
    public async Task A_server_holds_at_most_1000_lists_and_1000_saved_segments_and_a_saved_segment_can_still_be_replaced()
    {
        await using (var connection = await Db.OpenAsync())
        {
            await using var tx = await connection.BeginTransactionAsync();
            for (var i = 0; i < ListStore.MaxLists; i++)
            {
                await connection.ExecuteAsync("INSERT INTO lists (name, description, double_opt_in, consent_text, created_at) VALUES (@name, '', 0, 'x', 0)", new { name = $"lista {i}" }, tx);
            }

            for (var i = 0; i < SegmentStore.MaxSegments; i++)
            {
                await connection.ExecuteAsync("INSERT INTO segments (name, expression, created_at, updated_at) VALUES (@name, 'exists(email)', 0, 0)", new { name = $"segmento {i}" }, tx);
            }

            await tx.CommitAsync();
        }

        var lists = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Lists.AddAsync("una más"));
        Assert.Contains("at most 1000 lists", lists.Message, StringComparison.Ordinal);
        var segments = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Segments.SaveAsync("uno más", "language = \"es\""));
        Assert.Contains("at most 1000 saved segments", segments.Message, StringComparison.Ordinal);
        Assert.Equal("language = \"es\"", (await Audience.Segments.SaveAsync("segmento 7", "language = \"es\"")).Expression);
    }
}

public sealed class AudienceCountLimitOnSqlite(SqliteAudience backend) : AudienceCountLimitTests(backend), IClassFixture<SqliteAudience>;

public sealed class AudienceCountLimitOnPostgres(PostgresAudience backend) : AudienceCountLimitTests(backend), IClassFixture<PostgresAudience>;
