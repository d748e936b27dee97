using System.Net;
using Estafeta.Mail.Authentication;
using Estafeta.Storage;
using Estafeta.Testing;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class DomainAuthenticationTests
{
    [Fact]
    public async Task A_check_that_sees_the_rotated_keys_published_switches_signing_to_them()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 5, 10, 0, 0, TimeSpan.Zero));
        await using var test = await TestDatabase.CreateAsync(clock);
        var keys = new DkimKeyStore(test.Db, clock);
        await keys.CreateInitialKeysAsync("ejemplo.test");
        var zone = new DnsZone();
        var domains = new DomainAuthentication(test.Db, keys, new InMemoryDnsResolver(zone), "mx.ejemplo.test", clock);
        await domains.SetSendingAddressesAsync("ejemplo.test", [IPAddress.Parse("203.0.113.7")]);
        var rotated = await keys.RotateAsync("ejemplo.test");
        foreach (var record in (await domains.RecordsAsync("ejemplo.test")).Records)
            if (record.Type == "TXT") zone.AddTxt(record.Name, [.. record.Strings]);

        var result = await domains.CheckAsync("ejemplo.test");

        Assert.Equal(rotated.Select(k => k.Selector), result.PendingKeysSeen.Select(k => k.Selector));
        Assert.Equal(["e202611r2", "e202611e2"], (await keys.SigningKeysAsync("ejemplo.test")).Select(k => k.Selector));
        Assert.Equal(clock.GetUtcNow(), await new DomainAuthSettingsTable(test.Db).DmarcNoneSinceAsync("ejemplo.test"));
        var published = (await domains.RecordsAsync("ejemplo.test")).Records.Where(r => r.Purpose.StartsWith("DKIM", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, published.Count);
        Assert.Equal(2, published.Count(r => r.Note?.StartsWith("replaced key: keep it until 2026-11-12", StringComparison.Ordinal) == true));
    }
}
