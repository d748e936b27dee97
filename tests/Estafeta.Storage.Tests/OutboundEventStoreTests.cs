namespace Estafeta.Storage.Tests;

public abstract class OutboundEventStoreTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task A_long_detail_is_cut_to_its_limit_without_splitting_a_character()
    {
        var store = new OutboundEventStore(Db);
        var address = "ana@" + Names.Domain();
        // The limit falls between the two halves of 😀: the cut keeps neither.
        var detail = new string('x', OutboundEventStore.MaxDetail - 1) + "\ud83d\ude00 y más";
        await store.RecordAsync(new OutboundEvent(DateTimeOffset.UtcNow, OutboundEventKind.Bounced, address, "boletin@tienda.test", "ejemplo.es", "dsn",
            "hard", Status: "5.1.1", Detail: detail));
        await store.RecordAsync(new OutboundEvent(DateTimeOffset.UtcNow, OutboundEventKind.Deferred, address, "boletin@tienda.test", "ejemplo.es", "smtp",
            "soft", Status: "4.2.0", Detail: "corto: ñandú 😀"));

        var stored = await store.ListAsync(address);
        Assert.Equal(new string('x', OutboundEventStore.MaxDetail - 1), Assert.Single(stored, e => e.Kind == OutboundEventKind.Bounced).Detail);
        Assert.Equal("corto: ñandú 😀", Assert.Single(stored, e => e.Kind == OutboundEventKind.Deferred).Detail);
    }
}

public sealed class OutboundEventStoreOnSqlite(SqliteBackend backend) : OutboundEventStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class OutboundEventStoreOnPostgres(PostgresBackend backend) : OutboundEventStoreTests(backend), IClassFixture<PostgresBackend>;
