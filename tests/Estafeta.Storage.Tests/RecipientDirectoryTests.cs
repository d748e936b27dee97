using Dapper;

namespace Estafeta.Storage.Tests;

public abstract class RecipientDirectoryTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Account_address_resolves_to_that_account_in_any_case()
    {
        var account = await NewAccountAsync("Ana");

        var resolution = await Directory.ResolveAsync(account.Address.ToUpperInvariant());

        Assert.Equal(RecipientResolutionKind.Local, resolution.Kind);
        Assert.Equal([account.Id], resolution.AccountIds);
        Assert.Empty(resolution.RemoteTargets);
    }

    [Fact]
    public async Task Address_in_another_domain_is_not_local()
    {
        var resolution = await Directory.ResolveAsync("someone@" + Names.Domain());

        Assert.Equal(RecipientResolutionKind.NotLocalDomain, resolution.Kind);
    }

    [Fact]
    public async Task Unknown_user_in_a_local_domain_is_reported_as_unknown()
    {
        var account = await NewAccountAsync();

        var resolution = await Directory.ResolveAsync("nobody@" + MailAddressCanonical.DomainOf(account.Address));

        Assert.Equal(RecipientResolutionKind.UnknownUser, resolution.Kind);
        Assert.Empty(resolution.AccountIds);
    }

    [Fact]
    public async Task Alias_resolves_to_its_local_accounts_and_remote_targets()
    {
        var ana = await NewAccountAsync("ana");
        var domain = MailAddressCanonical.DomainOf(ana.Address);
        var bea = await Accounts.AddAsync($"bea@{domain}", "pw");
        await Aliases.AddAsync($"team@{domain}", ana.Address);
        await Aliases.AddAsync($"team@{domain}", bea.Address);
        await Aliases.AddAsync($"team@{domain}", "carla@remote.test");

        var resolution = await Directory.ResolveAsync($"Team@{domain}");

        Assert.Equal(RecipientResolutionKind.Local, resolution.Kind);
        Assert.Equal([ana.Id, bea.Id], resolution.AccountIds.Order());
        Assert.Equal(["carla@remote.test"], resolution.RemoteTargets);
    }

    [Fact]
    public async Task Alias_chain_is_followed_and_shared_targets_counted_once()
    {
        var ana = await NewAccountAsync("ana");
        var domain = MailAddressCanonical.DomainOf(ana.Address);
        await Aliases.AddAsync($"sales@{domain}", ana.Address);
        await Aliases.AddAsync($"all@{domain}", $"sales@{domain}");
        await Aliases.AddAsync($"all@{domain}", ana.Address);
        await Aliases.AddAsync($"everyone@{domain}", $"all@{domain}");

        var resolution = await Directory.ResolveAsync($"everyone@{domain}");

        Assert.Equal(RecipientResolutionKind.Local, resolution.Kind);
        Assert.Equal([ana.Id], resolution.AccountIds);
        Assert.Null(resolution.Problem);
    }

    [Fact]
    public async Task Catch_all_receives_mail_for_unknown_local_parts_only()
    {
        var ana = await NewAccountAsync("ana");
        var domain = MailAddressCanonical.DomainOf(ana.Address);
        var bea = await Accounts.AddAsync($"bea@{domain}", "pw");
        await Domains.SetCatchAllAsync(domain, ana.Address);

        var unknown = await Directory.ResolveAsync($"whatever@{domain}");
        var known = await Directory.ResolveAsync(bea.Address);

        Assert.Equal([ana.Id], unknown.AccountIds);
        Assert.Equal([bea.Id], known.AccountIds);
    }

    [Fact]
    public async Task Catch_all_can_forward_to_a_remote_address()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Domains.SetCatchAllAsync(domain, "archive@remote.test");

        var resolution = await Directory.ResolveAsync($"x@{domain}");

        Assert.Equal(RecipientResolutionKind.Local, resolution.Kind);
        Assert.Empty(resolution.AccountIds);
        Assert.Equal(["archive@remote.test"], resolution.RemoteTargets);
    }

    [Fact]
    public async Task Alias_loop_through_a_catch_all_is_reported_as_a_loop()
    {
        // A domain's catch-all forwards to an alias whose account was later removed: unknown -> catch-all -> alias -> unknown -> ...
        var target = await NewAccountAsync("t");
        var domain = MailAddressCanonical.DomainOf(target.Address);
        var other = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"fw@{other}", target.Address);
        await Domains.SetCatchAllAsync(domain, $"fw@{other}");
        await Accounts.RemoveAsync(target.Address);

        var resolution = await Directory.ResolveAsync($"q@{domain}");

        Assert.Equal(RecipientResolutionKind.AliasLoop, resolution.Kind);
        Assert.Equal($"alias loop: q@{domain} -> fw@{other} -> t@{domain} -> fw@{other}", resolution.Problem);
    }

    [Fact]
    public async Task Alias_chain_deeper_than_ten_levels_is_reported()
    {
        var account = await NewAccountAsync("end");
        var domain = MailAddressCanonical.DomainOf(account.Address);
        var domainId = (await Domains.GetAsync(domain))!.Id;

        // Twelve hops, written directly: the alias commands refuse to build such a chain.
        await using (var connection = await Db.OpenAsync())
        {
            for (var i = 0; i < 12; i++)
            {
                var target = i == 11 ? account.Address : $"a{i + 1}@{domain}";
                await connection.ExecuteAsync(
                    "INSERT INTO aliases (domain_id, address, target, created_at) VALUES (@domainId, @address, @target, 0)",
                    new { domainId, address = $"a{i}@{domain}", target });
            }
        }

        var deep = await Directory.ResolveAsync($"a0@{domain}");
        var shallow = await Directory.ResolveAsync($"a2@{domain}");

        Assert.Equal(RecipientResolutionKind.AliasLoop, deep.Kind);
        Assert.StartsWith("alias chain deeper than 10 levels", deep.Problem, StringComparison.Ordinal);
        Assert.Equal([account.Id], shallow.AccountIds);
    }

    [Fact]
    public async Task Adding_an_alias_that_would_make_a_chain_deeper_than_ten_is_refused()
    {
        var account = await NewAccountAsync("end");
        var domain = MailAddressCanonical.DomainOf(account.Address);
        var next = account.Address;
        for (var i = 10; i >= 1; i--)
        {
            await Aliases.AddAsync($"a{i}@{domain}", next);
            next = $"a{i}@{domain}";
        }

        var e = await Assert.ThrowsAsync<ConflictException>(() => Aliases.AddAsync($"a0@{domain}", next));
        Assert.StartsWith($"alias chain from a0@{domain} would be deeper than 10 levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_owns_its_address_and_aliases_that_reach_it_but_not_catch_alls()
    {
        var ana = await NewAccountAsync("ana");
        var domain = MailAddressCanonical.DomainOf(ana.Address);
        var bea = await Accounts.AddAsync($"bea@{domain}", "pw");
        await Aliases.AddAsync($"sales@{domain}", ana.Address);
        await Aliases.AddAsync($"all@{domain}", $"sales@{domain}");
        await Aliases.AddAsync($"bea-only@{domain}", bea.Address);
        await Domains.SetCatchAllAsync(domain, ana.Address);

        Assert.True(await Directory.AccountOwnsAddressAsync(ana.Id, ana.Address.ToUpperInvariant()));
        Assert.True(await Directory.AccountOwnsAddressAsync(ana.Id, $"sales@{domain}"));
        Assert.True(await Directory.AccountOwnsAddressAsync(ana.Id, $"all@{domain}"));
        Assert.False(await Directory.AccountOwnsAddressAsync(ana.Id, $"bea-only@{domain}"));
        Assert.False(await Directory.AccountOwnsAddressAsync(ana.Id, bea.Address));
        Assert.False(await Directory.AccountOwnsAddressAsync(ana.Id, $"random@{domain}"));
        Assert.False(await Directory.AccountOwnsAddressAsync(ana.Id, "ana@remote.test"));
    }

    [Fact]
    public async Task Unicode_local_part_resolves_whatever_its_normal_form_and_case()
    {
        var parent = Names.Domain();
        await Domains.AddAsync($"ejemplo.{parent}");
        var account = await Accounts.AddAsync($"josé@ejemplo.{parent}", "pw");

        var resolution = await Directory.ResolveAsync($"JOSE\u0301@EJEMPLO.{parent.ToUpperInvariant()}");

        Assert.Equal([account.Id], resolution.AccountIds);
    }
}

public sealed class RecipientDirectoryOnSqlite(SqliteBackend backend) : RecipientDirectoryTests(backend), IClassFixture<SqliteBackend>;

public sealed class RecipientDirectoryOnPostgres(PostgresBackend backend) : RecipientDirectoryTests(backend), IClassFixture<PostgresBackend>;
