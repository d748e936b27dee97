using System.Data.Common;
using Dapper;
using Estafeta.Marketing.Audience;

namespace Estafeta.Marketing.Tests;

/// <summary>
/// A subscription always names a contact and a list that exist: a foreign key on SQLite, statement-level triggers on
/// PostgreSQL (migration 371). Both refuse a missing parent and delete a parent's subscriptions with it.
/// </summary>
public abstract class SubscriptionIntegrityTests(AudienceBackend backend) : AudienceTests(backend)
{
    private async Task InsertAsync(long contactId, long listId)
    {
        await using var connection = await Db.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at) VALUES (@contactId, @listId, 'subscribed', 0, 0)",
            new { contactId, listId });
    }

    private async Task<long> CountAsync(string where, object parameters)
    {
        await using var connection = await Db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM subscriptions WHERE {where}", parameters);
    }

    [Fact]
    public async Task A_subscription_naming_a_missing_contact_or_list_is_refused()
    {
        var contact = await NewContactAsync();
        var list = await Audience.Lists.AddAsync(Name());

        await Assert.ThrowsAnyAsync<DbException>(() => InsertAsync(contact.Id + 1_000_000, list.Id));
        await Assert.ThrowsAnyAsync<DbException>(() => InsertAsync(contact.Id, list.Id + 1_000_000));
        await InsertAsync(contact.Id, list.Id);

        Assert.Equal(1, await CountAsync("contact_id = @id", new { id = contact.Id }));
    }

    [Fact]
    public async Task Deleting_a_contact_or_a_list_deletes_its_subscriptions()
    {
        var (a, b) = (await NewContactAsync(), await NewContactAsync());
        var (first, second) = (await Audience.Lists.AddAsync(Name()), await Audience.Lists.AddAsync(Name()));
        foreach (var contact in new[] { a, b })
        {
            foreach (var list in new[] { first, second }) await InsertAsync(contact.Id, list.Id);
        }

        await using (var connection = await Db.OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM contacts WHERE id = @id", new { id = a.Id });
        }

        await Audience.Lists.RemoveAsync(first.Id);

        Assert.Equal(0, await CountAsync("contact_id = @id", new { id = a.Id }));
        Assert.Equal(0, await CountAsync("list_id = @id", new { id = first.Id }));
        Assert.Equal(1, await CountAsync("contact_id = @id", new { id = b.Id }));
    }

    [Fact]
    public async Task The_keys_of_a_subscription_cannot_be_changed_to_a_missing_parent()
    {
        var contact = await NewContactAsync();
        var list = await Audience.Lists.AddAsync(Name());
        await InsertAsync(contact.Id, list.Id);

        await using var connection = await Db.OpenAsync();
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "UPDATE subscriptions SET list_id = @missing WHERE contact_id = @id", new { missing = list.Id + 1_000_000, id = contact.Id }));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "UPDATE lists SET id = @missing WHERE id = @id", new { missing = list.Id + 1_000_000, id = list.Id }));
        Assert.Equal(1, await CountAsync("contact_id = @id AND list_id = @list", new { id = contact.Id, list = list.Id }));
    }
}

public sealed class SubscriptionIntegrityOnSqlite(SqliteAudience backend) : SubscriptionIntegrityTests(backend), IClassFixture<SqliteAudience>;

public sealed class SubscriptionIntegrityOnPostgres(PostgresAudience backend) : SubscriptionIntegrityTests(backend), IClassFixture<PostgresAudience>;
