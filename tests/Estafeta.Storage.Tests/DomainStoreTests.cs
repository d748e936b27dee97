namespace Estafeta.Storage.Tests;

public abstract class DomainStoreTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Added_domain_is_stored_lowercase_and_listed()
    {
        var name = Names.Domain();
        var added = await Domains.AddAsync(name.ToUpperInvariant() + ".");

        Assert.Equal(name, added.Name);
        Assert.Contains(await Domains.ListAsync(), d => d.Name == name);
        Assert.Equal(added.Id, (await Domains.GetAsync(name))!.Id);
    }

    [Fact]
    public async Task Internationalised_domain_is_stored_in_its_ascii_form()
    {
        var parent = Names.Domain();
        var added = await Domains.AddAsync($"Bücher.{parent.ToUpperInvariant()}");

        Assert.Equal($"xn--bcher-kva.{parent}", added.Name);
        Assert.Equal(added.Id, (await Domains.GetAsync($"bücher.{parent}"))!.Id);
        Assert.Equal(added.Id, (await Domains.GetAsync(added.Name))!.Id);
    }

    [Fact]
    public async Task Adding_a_domain_twice_is_a_conflict_that_names_the_domain()
    {
        var name = Names.Domain();
        await Domains.AddAsync(name);

        var e = await Assert.ThrowsAsync<ConflictException>(() => Domains.AddAsync(name.ToUpperInvariant()));
        Assert.Equal($"domain {name} already exists", e.Message);
    }

    [Fact]
    public async Task Removing_a_domain_that_has_accounts_is_refused_with_the_count()
    {
        var account = await NewAccountAsync();
        var domain = MailAddressCanonical.DomainOf(account.Address);

        var e = await Assert.ThrowsAsync<ConflictException>(() => Domains.RemoveAsync(domain));
        Assert.Equal($"domain {domain} still has 1 account; remove it first", e.Message);
        Assert.NotNull(await Domains.GetAsync(domain));
    }

    [Fact]
    public async Task Removing_a_domain_removes_its_aliases()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"info@{domain}", "someone@elsewhere.test");

        await Domains.RemoveAsync(domain);

        Assert.Null(await Domains.GetAsync(domain));
        Assert.Empty(await Aliases.ListAsync(domain));
    }

    [Fact]
    public async Task Removing_an_unknown_domain_reports_that_it_does_not_exist()
    {
        var name = Names.Domain();
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Domains.RemoveAsync(name));
        Assert.Equal($"domain {name} does not exist", e.Message);
    }

    [Fact]
    public async Task Catch_all_can_be_set_and_cleared()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;

        await Domains.SetCatchAllAsync(domain, "Postmaster@Elsewhere.TEST");
        Assert.Equal("postmaster@elsewhere.test", (await Domains.GetAsync(domain))!.CatchAll);

        await Domains.SetCatchAllAsync(domain, null);
        Assert.Null((await Domains.GetAsync(domain))!.CatchAll);
    }

    [Fact]
    public async Task Catch_all_to_an_unknown_local_address_is_refused()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;

        await Assert.ThrowsAsync<NotFoundException>(() => Domains.SetCatchAllAsync(domain, $"nobody@{domain}"));
    }

    [Fact]
    public async Task Malformed_domain_name_is_rejected()
    {
        await Assert.ThrowsAsync<InvalidInputException>(() => Domains.AddAsync("bad_domain!.test"));
        await Assert.ThrowsAsync<InvalidInputException>(() => Domains.AddAsync("[192.0.2.1]"));
    }
}

public sealed class DomainStoreOnSqlite(SqliteBackend backend) : DomainStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class DomainStoreOnPostgres(PostgresBackend backend) : DomainStoreTests(backend), IClassFixture<PostgresBackend>;
