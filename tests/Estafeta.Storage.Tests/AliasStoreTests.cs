namespace Estafeta.Storage.Tests;

public abstract class AliasStoreTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Alias_targets_are_listed_in_canonical_form()
    {
        var account = await NewAccountAsync();
        var domain = MailAddressCanonical.DomainOf(account.Address);

        await Aliases.AddAsync($"Info@{domain.ToUpperInvariant()}", account.Address.ToUpperInvariant());
        await Aliases.AddAsync($"info@{domain}", "Ana@Bücher.test");

        var listed = await Aliases.ListAsync(domain);
        Assert.Equal(
            [($"info@{domain}", account.Address), ($"info@{domain}", "ana@xn--bcher-kva.test")],
            listed.Select(a => (a.Address, a.Target)).OrderBy(t => t.Target, StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task Same_alias_target_twice_is_a_conflict()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"info@{domain}", "ana@remote.test");

        var e = await Assert.ThrowsAsync<ConflictException>(() => Aliases.AddAsync($"INFO@{domain}", "ANA@remote.test"));
        Assert.Equal($"alias info@{domain} already points to ana@remote.test", e.Message);
    }

    [Fact]
    public async Task Alias_with_the_address_of_an_account_is_refused()
    {
        var account = await NewAccountAsync();

        var e = await Assert.ThrowsAsync<ConflictException>(() => Aliases.AddAsync(account.Address, "ana@remote.test"));
        Assert.Contains("is an account", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alias_to_an_unknown_local_address_is_refused()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Aliases.AddAsync($"info@{domain}", $"typo@{domain}"));
        Assert.Equal($"typo@{domain} is in a local domain but is neither an account nor an alias; create it first", e.Message);
    }

    [Fact]
    public async Task Alias_in_a_domain_that_is_not_local_is_refused()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Aliases.AddAsync($"info@{Names.Domain()}", "ana@remote.test"));
    }

    [Fact]
    public async Task Alias_cycle_is_detected_and_reported()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"a@{domain}", "x@remote.test");
        await Aliases.AddAsync($"b@{domain}", $"a@{domain}");
        await Aliases.AddAsync($"c@{domain}", $"b@{domain}");

        var e = await Assert.ThrowsAsync<ConflictException>(() => Aliases.AddAsync($"a@{domain}", $"c@{domain}"));

        Assert.Equal(
            $"alias loop: a@{domain} -> c@{domain} -> b@{domain} -> a@{domain}; remove one of these aliases first",
            e.Message);
    }

    [Fact]
    public async Task Alias_pointing_to_itself_is_refused()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"a@{domain}", "x@remote.test");

        await Assert.ThrowsAsync<ConflictException>(() => Aliases.AddAsync($"a@{domain}", $"A@{domain}"));
    }

    [Fact]
    public async Task Removing_one_target_keeps_the_others_and_removing_the_alias_removes_all()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"team@{domain}", "ana@remote.test");
        await Aliases.AddAsync($"team@{domain}", "bea@remote.test");

        await Aliases.RemoveAsync($"team@{domain}", "ANA@remote.test");
        Assert.Equal(["bea@remote.test"], (await Aliases.ListAsync(domain)).Select(a => a.Target));

        await Aliases.RemoveAsync($"team@{domain}");
        Assert.Empty(await Aliases.ListAsync(domain));

        var e = await Assert.ThrowsAsync<NotFoundException>(() => Aliases.RemoveAsync($"team@{domain}"));
        Assert.Equal($"alias team@{domain} does not exist", e.Message);
    }
}

public sealed class AliasStoreOnSqlite(SqliteBackend backend) : AliasStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class AliasStoreOnPostgres(PostgresBackend backend) : AliasStoreTests(backend), IClassFixture<PostgresBackend>;
