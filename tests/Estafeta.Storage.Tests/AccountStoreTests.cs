using System.Text;
using Dapper;

namespace Estafeta.Storage.Tests;

public abstract class AccountStoreTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task New_account_gets_the_six_default_mailboxes_with_special_use()
    {
        var account = await NewAccountAsync();

        var mailboxes = await Mail.ListMailboxesAsync(account.Id);

        Assert.Equal(["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"], mailboxes.Select(m => m.Name));
        Assert.Equal(
            [null, "\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"],
            mailboxes.Select(m => m.SpecialUse));
        Assert.All(mailboxes, m => Assert.Equal(1, m.UidNext));
        Assert.All(mailboxes, m => Assert.True(m.Subscribed));
        Assert.Equal(mailboxes.Count, mailboxes.Select(m => m.UidValidity).Distinct().Count());
    }

    [Fact]
    public async Task Account_address_is_canonical_whatever_the_case_unicode_form_or_idn_spelling()
    {
        var parent = Names.Domain();
        await Domains.AddAsync($"bücher.{parent}");
        var decomposed = "Jose\u0301"; // "José" with a combining accent (NFD)

        var account = await Accounts.AddAsync($"{decomposed}@BÜCHER.{parent.ToUpperInvariant()}", "pw");

        Assert.Equal($"josé@xn--bcher-kva.{parent}", account.Address);
        Assert.True(account.Address.IsNormalized(NormalizationForm.FormC));
        Assert.Equal(account.Id, (await Accounts.GetAsync($"JOSÉ@bücher.{parent}"))!.Id);
        Assert.Equal(account.Id, (await Accounts.GetAsync($"josé@xn--bcher-kva.{parent}"))!.Id);
        await Assert.ThrowsAsync<ConflictException>(() => Accounts.AddAsync($"JOSÉ@bücher.{parent}", "pw"));
    }

    [Fact]
    public async Task Adding_an_account_twice_is_a_conflict_that_names_it()
    {
        var account = await NewAccountAsync();

        var e = await Assert.ThrowsAsync<ConflictException>(() => Accounts.AddAsync(account.Address.ToUpperInvariant(), "other"));
        Assert.Equal($"account {account.Address} already exists", e.Message);
    }

    [Fact]
    public async Task Account_in_a_domain_that_is_not_local_is_refused()
    {
        var domain = Names.Domain();
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Accounts.AddAsync($"ana@{domain}", "pw"));
        Assert.Contains($"domain {domain} is not a local domain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_with_the_address_of_an_alias_is_refused()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Aliases.AddAsync($"info@{domain}", "ana@remote.test");

        await Assert.ThrowsAsync<ConflictException>(() => Accounts.AddAsync($"info@{domain}", "pw"));
    }

    [Fact]
    public async Task Right_password_verifies_and_wrong_or_unknown_does_not()
    {
        var account = await NewAccountAsync(password: "s3cret ñ");

        Assert.Equal(account.Id, (await Accounts.VerifyPasswordAsync(account.Address.ToUpperInvariant(), "s3cret ñ"))!.Id);
        Assert.Equal(account.Id, (await Accounts.VerifyPasswordAsync(account.Address, "s3cret ñ"))!.Id);
        Assert.Null(await Accounts.VerifyPasswordAsync(account.Address, "s3cret n"));
        Assert.Null(await Accounts.VerifyPasswordAsync(account.Address, ""));
        Assert.Null(await Accounts.VerifyPasswordAsync("nobody@" + Names.Domain(), "s3cret ñ"));
        Assert.Null(await Accounts.VerifyPasswordAsync("not an address", "s3cret ñ"));
    }

    [Fact]
    public async Task Password_is_stored_as_a_self_describing_pbkdf2_sha256_hash()
    {
        var account = await NewAccountAsync(password: "hunter2");

        await using var connection = await Db.OpenAsync();
        var stored = await connection.ExecuteScalarAsync<string>(
            "SELECT password_hash FROM accounts WHERE id = @id", new { id = account.Id });

        var parts = stored!.Split('$');
        Assert.Equal(["", "pbkdf2-sha256", "i=210000"], parts[..3]);
        Assert.Equal(16, Convert.FromBase64String(parts[3] + "==").Length);
        Assert.Equal(32, Convert.FromBase64String(parts[4] + "=").Length);
        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_password_takes_effect_at_once_even_after_a_cached_login()
    {
        var account = await NewAccountAsync(password: "old");
        Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "old"));
        Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "old"));

        await Accounts.SetPasswordAsync(account.Address, "new");

        Assert.Null(await Accounts.VerifyPasswordAsync(account.Address, "old"));
        Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "new"));
    }

    [Fact]
    public async Task Password_change_made_by_another_process_invalidates_this_process_cache()
    {
        var account = await NewAccountAsync(password: "old");
        Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "old"));

        await new AccountStore(Backend.OpenSecondInstance()).SetPasswordAsync(account.Address, "new");

        Assert.Null(await Accounts.VerifyPasswordAsync(account.Address, "old"));
    }

    [Fact]
    public async Task Repeated_logins_are_served_from_the_verification_cache()
    {
        var account = await NewAccountAsync(password: "fast");
        var first = System.Diagnostics.Stopwatch.StartNew();
        Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "fast"));
        first.Stop();

        var cached = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await Accounts.VerifyPasswordAsync(account.Address, "fast"));
        }

        cached.Stop();

        // Twenty full PBKDF2 verifications would take about twenty times the first one.
        Assert.True(cached.Elapsed < first.Elapsed * 5, $"first login {first.Elapsed}, 20 cached logins {cached.Elapsed}");
    }

    [Fact]
    public async Task Accounts_are_listed_per_domain()
    {
        var first = await NewAccountAsync("ana");
        var domain = MailAddressCanonical.DomainOf(first.Address);
        var second = await Accounts.AddAsync($"bea@{domain}", "pw");
        var other = await NewAccountAsync("carla");

        var listed = await Accounts.ListAsync(domain.ToUpperInvariant());

        Assert.Equal([first.Address, second.Address], listed.Select(a => a.Address));
        Assert.Contains(await Accounts.ListAsync(), a => a.Id == other.Id);
    }

    [Fact]
    public async Task Quota_is_stored_and_checked_against_used_bytes()
    {
        var account = await NewAccountAsync(quotaBytes: 1000);
        Assert.True(account.HasRoomFor(1000));
        Assert.False(account.HasRoomFor(1001));

        await Accounts.SetQuotaAsync(account.Address, 0);

        var unlimited = (await Accounts.GetByIdAsync(account.Id))!;
        Assert.Equal(0, unlimited.QuotaBytes);
        Assert.True(unlimited.HasRoomFor(long.MaxValue / 2));
    }

    [Fact]
    public async Task Removing_an_account_removes_its_mailboxes_messages_and_their_files()
    {
        var account = await NewAccountAsync();
        var receipt = await DeliverAsync("bye", account);
        var hash = (await Mail.ListMessagesAsync(receipt.Copies[0].MailboxId))[0].BlobHash;
        Assert.True(Db.Blobs.Exists(hash));

        await Accounts.RemoveAsync(account.Address);

        Assert.Null(await Accounts.GetByIdAsync(account.Id));
        Assert.Empty(await Mail.ListMailboxesAsync(account.Id));
        Assert.False(Db.Blobs.Exists(hash));
        Assert.Null(await Accounts.VerifyPasswordAsync(account.Address, "correct horse"));
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Accounts.RemoveAsync(account.Address));
        Assert.Equal($"account {account.Address} does not exist", e.Message);
    }

    [Fact]
    public async Task Empty_password_is_rejected()
    {
        var domain = (await Domains.AddAsync(Names.Domain())).Name;
        await Assert.ThrowsAsync<InvalidInputException>(() => Accounts.AddAsync($"ana@{domain}", ""));
    }
}

public sealed class AccountStoreOnSqlite(SqliteBackend backend) : AccountStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class AccountStoreOnPostgres(PostgresBackend backend) : AccountStoreTests(backend), IClassFixture<PostgresBackend>;
