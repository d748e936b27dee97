using System.Collections.Concurrent;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Checks addresses: syntax, whether the domain can receive mail (an MX, or else an A/AAAA record; a null MX
/// means it cannot), disposable domains, role addresses and provider typos. Domain lookups go through the
/// process's cached <see cref="IDnsResolver"/> (which keeps answers for their TTL). With
/// <paramref name="rememberDomains"/> each domain's verdict is also kept for the life of this validator, so an import
/// asks once per distinct domain; a validator that lives as long as the server does not, or a domain that publishes its
/// MX later would stay refused until a restart. A domain this server receives mail for
/// (<paramref name="isLocalDomain"/>) accepts mail whatever DNS says: its mail never leaves this server. Without a
/// resolver the DNS check is left out.
/// </summary>
public sealed class AddressValidator(IDnsResolver? dns, Func<string, CancellationToken, Task<bool>>? isLocalDomain = null, bool rememberDomains = true)
{
    private readonly ConcurrentDictionary<string, Task<DomainMail>> domains = new(StringComparer.Ordinal);

    private enum DomainMail
    {
        Accepts,
        Refuses,
        Unknown,
    }

    public async Task<AddressValidation> ValidateAsync(string input, CancellationToken ct = default)
    {
        var canonical = AddressSyntax.Check(input, out var problem);
        if (canonical is null)
        {
            return new AddressValidation(input, null, AddressVerdict.Invalid, ["syntax"], null, problem);
        }

        var flags = new List<string>();
        var domain = MailAddressCanonical.DomainOf(canonical);
        string? suggestion = null;
        if (!domain.StartsWith('['))
        {
            if (dns is not null)
            {
                var mail = await (rememberDomains ? domains.GetOrAdd(domain, d => LookUpAsync(d, ct)) : LookUpAsync(domain, ct)).ConfigureAwait(false);
                if (mail == DomainMail.Refuses)
                {
                    return new AddressValidation(input, canonical, AddressVerdict.Invalid, ["no-mail-domain"], Suggest(canonical, domain), null);
                }

                if (mail == DomainMail.Unknown)
                {
                    flags.Add("dns-unknown");
                }
            }

            if (DisposableDomains.Contains(domain)) flags.Add("disposable");
            suggestion = Suggest(canonical, domain);
            if (suggestion is not null) flags.Add("typo");
        }

        if (RoleAddresses.IsRole(canonical)) flags.Add("role");
        return new AddressValidation(input, canonical, flags.Count == 0 ? AddressVerdict.Valid : AddressVerdict.Risky, flags, suggestion, null);
    }

    private static string? Suggest(string canonical, string domain) =>
        ProviderTypos.Suggest(domain) is { } provider ? canonical[..(canonical.LastIndexOf('@') + 1)] + provider : null;

    private async Task<DomainMail> LookUpAsync(string domain, CancellationToken ct)
    {
        if (isLocalDomain is not null && await isLocalDomain(domain, ct).ConfigureAwait(false)) return DomainMail.Accepts;
        var mx = await dns!.MxAsync(domain, ct).ConfigureAwait(false);
        if (mx.Status == DnsStatus.TemporaryFailure) return DomainMail.Unknown;
        if (mx.Status == DnsStatus.NameError) return DomainMail.Refuses;
        if (mx.Records.Count > 0)
        {
            // RFC 7505: a single MX with an empty exchange ("null MX") says the domain accepts no mail.
            return mx.Records.Count == 1 && mx.Records[0].Exchange.Trim('.').Length == 0 ? DomainMail.Refuses : DomainMail.Accepts;
        }

        var a = await dns.AAsync(domain, ct).ConfigureAwait(false);
        if (a.Status == DnsStatus.Ok && a.Records.Count > 0) return DomainMail.Accepts;
        var aaaa = await dns.AaaaAsync(domain, ct).ConfigureAwait(false);
        if (aaaa.Status == DnsStatus.Ok && aaaa.Records.Count > 0) return DomainMail.Accepts;
        return a.Status == DnsStatus.TemporaryFailure || aaaa.Status == DnsStatus.TemporaryFailure ? DomainMail.Unknown : DomainMail.Refuses;
    }
}
