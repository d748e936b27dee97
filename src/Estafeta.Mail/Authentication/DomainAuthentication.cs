using System.Net;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// The DNS side of a sending domain, over the database: the records to publish, the check of what is
/// published (which also activates a rotated DKIM key once it is seen), and this server's sending addresses
/// (the domain's setting, else the addresses of the host name).
/// </summary>
public sealed class DomainAuthentication(Database db, DkimKeyStore keys, IDnsResolver dns, string hostName, TimeProvider clock)
{
    private readonly DomainAuthSettingsTable _settings = new(db);

    public DkimKeyStore Keys => keys;

    public async Task<IReadOnlyList<IPAddress>> SendingAddressesAsync(string domain, CancellationToken ct = default)
    {
        var configured = await _settings.SendingAddressesAsync(domain, ct);
        if (configured.Count > 0) return configured;
        var a = await dns.AAsync(hostName, ct);
        var aaaa = await dns.AaaaAsync(hostName, ct);
        return [.. a.Records, .. aaaa.Records];
    }

    public Task SetSendingAddressesAsync(string domain, IReadOnlyList<IPAddress> addresses, CancellationToken ct = default) =>
        _settings.SetSendingAddressesAsync(domain, addresses, ct);

    public async Task<DomainRecordSet> RecordsAsync(string domain, CancellationToken ct = default) =>
        DomainRecords.Build(domain, hostName, await SendingAddressesAsync(domain, ct), await PublishedKeysAsync(domain, ct));

    /// <summary>Checks the domain's DNS; pending DKIM keys seen published become active, and a p=none DMARC
    /// record is remembered with the date first seen.</summary>
    public async Task<DomainCheckResult> CheckAsync(string domain, CancellationToken ct = default)
    {
        var input = new DomainCheckInput(domain, hostName, await SendingAddressesAsync(domain, ct), await PublishedKeysAsync(domain, ct),
            await _settings.DmarcNoneSinceAsync(domain, ct));
        var result = await new DomainCheck(dns, clock).RunAsync(input, ct);
        foreach (var key in result.PendingKeysSeen) await keys.ActivateAsync(key, ct);
        foreach (var (info, _) in input.Keys.Where(k => k.Info.State == DkimKeyState.Active))
            if (result.Checks.Any(c => c.Name == DkimDnsRecord.Name(info.Selector, info.Domain) && c.Status == RecordStatus.Ok))
                await keys.MarkPublishedSeenAsync(info, ct);
        if (result.DmarcPolicyIsNone is { } isNone) await _settings.ObserveDmarcNoneAsync(domain, isNone, ct);
        return result;
    }

    private async Task<IReadOnlyList<(DkimKeyInfo Info, DkimPrivateKey Key)>> PublishedKeysAsync(string domain, CancellationToken ct) =>
        [.. keys.Published(await keys.ListAsync(domain, ct))
            .OrderBy(k => k.State switch { DkimKeyState.Active => 0, DkimKeyState.Pending => 1, _ => 2 })
            .ThenBy(k => k.Algorithm == "rsa-sha256" ? 0 : 1)
            .Select(k => (k, keys.PrivateKey(k)))];
}
