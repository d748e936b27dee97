using System.Text;
using Dapper;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>GDPR erasure and the outbound queue: mail still queued to the person is cancelled, and a delivery
/// under way is waited for rather than raced.</summary>
public abstract class ErasureQueueTests(AudienceBackend backend) : AudienceTests(backend)
{
    private async Task<(long QueueId, string BlobHash)> QueueAsync(params string[] to)
    {
        var blob = await Db.Blobs.WriteAsync(Encoding.UTF8.GetBytes(
            $"From: boletin@tienda.test\r\nTo: {string.Join(", ", to)}\r\nSubject: Ofertas {Guid.NewGuid():N}\r\n\r\nHola.\r\n"));
        await using var writer = new DeliveryWriter(Db);
        var receipt = await writer.CommitAsync(new Delivery(
            blob, [], DateTimeOffset.UtcNow, MessageEnvelope.Empty with { Subject = "Ofertas" },
            Outbound: new OutboundMessage("boletin@tienda.test", [.. to.Select(t => new OutboundRecipient(t))])));
        return (receipt.QueueId!.Value, blob.Hash);
    }

    private async Task<long> CountAsync(string sql, object args)
    {
        await using var connection = await Db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task Queued_mail_to_an_erased_address_is_cancelled_and_mail_to_others_stays()
    {
        var email = Email("cola");
        var other = Email("otra");
        var (onlyToPerson, onlyBlob) = await QueueAsync(email);
        var (shared, _) = await QueueAsync(email.ToUpperInvariant(), other);
        await using (var connection = await Db.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO outbound_attempts (queue_id, recipient, at, destination, outcome, reply) VALUES (@shared, @rcpt, 1, 'ejemplo.es', 'deferred', @reply)",
                new { shared, rcpt = email.ToUpperInvariant(), reply = $"451 4.2.0 <{email}> mailbox busy" });
        }

        var result = await Audience.Privacy.EraseAsync(email);

        Assert.Equal(2, result.CancelledDeliveries);
        var queue = new OutboundQueueStore(Db);
        Assert.Null(await queue.GetAsync(onlyToPerson));
        Assert.False(Db.Blobs.Exists(onlyBlob));
        var kept = await queue.GetAsync(shared);
        Assert.NotNull(kept);
        Assert.Equal([other], kept.Recipients.Select(r => r.Address));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM outbound_attempts WHERE LOWER(recipient) = LOWER(@email) OR reply LIKE @like",
            new { email, like = "%" + email[..10] + "%" }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM outbound_attempts WHERE queue_id = @shared AND recipient = @erased",
            new { shared, erased = OutboundQueueStore.ErasedAddress }));

        var again = await Audience.Privacy.EraseAsync(email);
        Assert.True(again.AlreadyErased);
        Assert.Equal(0, again.CancelledDeliveries);
    }

    [Fact]
    public async Task Erasure_waits_for_a_delivery_in_flight_and_cancels_the_rest_once_it_is_settled()
    {
        var email = Email("envio");
        var contact = await NewContactAsync(email);
        var (leased, _) = await QueueAsync(email);
        var queue = new OutboundQueueStore(Db);
        var owner = "mta-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Contains(await queue.ClaimDueAsync(owner, DateTimeOffset.UtcNow.AddMinutes(5), 10_000), q => q.Id == leased);

        var erasure = Audience.Privacy.EraseAsync(email);
        await Task.Delay(600);
        Assert.False(erasure.IsCompleted);
        Assert.NotNull(await Audience.Contacts.GetAsync(contact.Id));
        await queue.ReleaseLeasesAsync(owner);

        var result = await erasure.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, result.CancelledDeliveries);
        Assert.Null(await Audience.Contacts.GetAsync(contact.Id));
        Assert.Null(await queue.GetAsync(leased));
    }

    [Fact]
    public async Task Erasure_gives_up_with_a_conflict_and_changes_nothing_when_the_delivery_stays_in_flight()
    {
        var email = Email("larga");
        var contact = await NewContactAsync(email);
        var (leased, _) = await QueueAsync(email);
        var queue = new OutboundQueueStore(Db);
        var owner = "mta-" + Guid.NewGuid().ToString("N")[..6];
        await queue.ClaimDueAsync(owner, DateTimeOffset.UtcNow.AddMinutes(5), 10_000);
        var privacy = new ContactPrivacy(Db, Audience.Contacts, inFlightWait: TimeSpan.FromMilliseconds(300));

        var refused = await Assert.ThrowsAsync<ConflictException>(() => privacy.EraseAsync(email));

        Assert.Contains("being delivered", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await Audience.Contacts.GetAsync(contact.Id));
        Assert.Single((await queue.GetAsync(leased))!.Recipients);
        await queue.ReleaseLeasesAsync(owner);
    }
}

public sealed class ErasureQueueOnSqlite(SqliteAudience backend) : ErasureQueueTests(backend), IClassFixture<SqliteAudience>;

public sealed class ErasureQueueOnPostgres(PostgresAudience backend) : ErasureQueueTests(backend), IClassFixture<PostgresAudience>;
