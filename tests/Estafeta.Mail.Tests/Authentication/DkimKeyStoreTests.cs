using Estafeta.Mail.Authentication;
using Estafeta.Storage;
using Estafeta.Testing;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class DkimKeyStoreTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_new_domain_gets_an_active_rsa_and_ed25519_key_with_dated_selectors()
    {
        var clock = new ManualTimeProvider(November);
        await using var test = await TestDatabase.CreateAsync(clock);
        var store = new DkimKeyStore(test.Db, clock);

        var keys = await store.CreateInitialKeysAsync("Ejemplo.Test");

        Assert.Equal([("e202611r", "rsa-sha256"), ("e202611e", "ed25519-sha256")], keys.Select(k => (k.Selector, k.Algorithm)));
        Assert.All(keys, k => Assert.Equal(DkimKeyState.Active, k.State));
        var signing = await store.SigningKeysAsync("ejemplo.test");
        Assert.Equal(["e202611r", "e202611e"], signing.Select(k => k.Selector));
        Assert.Equal(2048, ((MailAuth.Dkim.DkimRsaPrivateKey)signing[0].Key).KeySize);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Private_keys_are_files_only_their_owner_can_read()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new DkimKeyStore(test.Db, TimeProvider.System);

        var keys = await store.CreateInitialKeysAsync("ejemplo.test");

        foreach (var key in keys)
        {
            var path = store.PathOf(key.Domain, key.Selector);
            Assert.Equal(Path.Combine(test.Directory, "dkim", "ejemplo.test", key.Selector + ".pem"), path);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(test.Directory, "dkim", "ejemplo.test")));
    }

    [Fact]
    public async Task A_rotation_is_pending_until_activated_and_then_retires_the_old_keys()
    {
        var clock = new ManualTimeProvider(November);
        await using var test = await TestDatabase.CreateAsync(clock);
        var store = new DkimKeyStore(test.Db, clock);
        await store.CreateInitialKeysAsync("ejemplo.test");

        var rotated = await store.RotateAsync("ejemplo.test");

        Assert.Equal(["e202611r2", "e202611e2"], rotated.Select(k => k.Selector));
        Assert.All(rotated, k => Assert.Equal(DkimKeyState.Pending, k.State));
        Assert.Equal(["e202611r", "e202611e"], (await store.SigningKeysAsync("ejemplo.test")).Select(k => k.Selector));
        await Assert.ThrowsAsync<ConflictException>(() => store.RotateAsync("ejemplo.test"));

        foreach (var key in rotated) Assert.True(await store.ActivateAsync(key));

        Assert.Equal(["e202611r2", "e202611e2"], (await store.SigningKeysAsync("ejemplo.test")).Select(k => k.Selector));
        var all = await store.ListAsync("ejemplo.test");
        Assert.Equal(DkimKeyState.Retired, all.Single(k => k.Selector == "e202611r").State);
        Assert.Equal(4, store.Published(all).Count);
        clock.Advance(DkimKeyStore.GracePeriod);
        Assert.Equal(["e202611e2", "e202611r2"], store.Published(await store.ListAsync("ejemplo.test")).Select(k => k.Selector).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Selectors_are_dated_and_numbered_when_the_month_already_has_one()
    {
        Assert.Equal("e202611r", DkimSelectors.Next(November, rsa: true, []));
        Assert.Equal("e202611e3", DkimSelectors.Next(November, rsa: false, ["e202611e", "e202611e2"]));
    }
}
