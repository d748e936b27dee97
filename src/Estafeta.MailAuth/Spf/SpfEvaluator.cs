using System.Globalization;
using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Spf;

/// <summary>Evaluates SPF policies (RFC 7208). Thread-safe; one instance serves the whole process so
/// that parsed records are shared (records are cached by their text).</summary>
public sealed class SpfEvaluator
{
    private const string Postmaster = "postmaster";

    private readonly IDnsResolver _dns;
    private readonly SpfEvaluatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SpfRecordCache _records;
    private readonly SpfMacroString _defaultExplanation;

    public SpfEvaluator(IDnsResolver dns, SpfEvaluatorOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
        _options = options ?? new SpfEvaluatorOptions();
        _time = time ?? TimeProvider.System;
        _records = new SpfRecordCache(_options.RecordCacheCapacity);
        var text = _options.DefaultExplanation;
        _defaultExplanation = SpfMacroParser.Parse(text, 0, text.Length, SpfMacroPlace.Explanation, out var error)
            ?? throw new ArgumentException($"The default SPF explanation is not a valid macro-string: {error}", nameof(options));
    }

    /// <summary>Parses a record (through the shared cache of parsed records).</summary>
    public SpfParseResult Parse(string recordText) => _records.Parse(recordText);

    /// <summary>Checks the request's identity: the MAIL FROM domain (postmaster@HELO for an empty
    /// reverse-path, "postmaster" for a missing local-part) or the HELO domain (RFC 7208 §2.3, §4.3).
    /// A domain that is not a multi-label DNS name gives none.</summary>
    public Task<SpfCheckResult> CheckAsync(SpfRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var helo = request.Helo ?? string.Empty;
        if (request.Identity == SpfIdentity.Helo || string.IsNullOrEmpty(request.MailFrom))
        {
            return CheckHostAsync(request.ClientAddress, helo, Postmaster, helo, helo, ct);
        }

        var (localPart, domain) = SplitAddress(request.MailFrom);
        return CheckHostAsync(request.ClientAddress, domain, localPart, domain, helo, ct);
    }

    /// <summary>check_host(&lt;ip&gt;, &lt;domain&gt;, &lt;sender&gt;) of RFC 7208 §4, with the HELO domain for %{h}.</summary>
    public Task<SpfCheckResult> CheckHostAsync(IPAddress clientAddress, string domain, string sender, string helo, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var (localPart, senderDomain) = sender.Contains('@') ? SplitAddress(sender) : (Postmaster, sender);
        return CheckHostAsync(clientAddress, domain, localPart, senderDomain, helo ?? string.Empty, ct);
    }

    private async Task<SpfCheckResult> CheckHostAsync(IPAddress clientAddress, string domain, string localPart, string senderDomain, string helo, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        var checkedDomain = CheckableDomain(domain);
        if (checkedDomain is null)
        {
            return new SpfCheckResult
            {
                Result = SpfResult.None,
                Domain = domain,
                Problem = $"'{domain}' is not a fully qualified domain name",
            };
        }

        var check = new SpfCheck(_dns, _options, _records, _time, clientAddress, localPart,
            DnsName.TrimTrailingDot(senderDomain), helo, ct);
        var outcome = await check.CheckHostAsync(checkedDomain).ConfigureAwait(false);
        var explanation = outcome.Result == SpfResult.Fail
            ? await check.ExplainAsync(outcome, _defaultExplanation).ConfigureAwait(false)
            : null;
        var failed = outcome.Result is SpfResult.None or SpfResult.TempError or SpfResult.PermError;
        return new SpfCheckResult
        {
            Result = outcome.Result,
            Domain = checkedDomain,
            Explanation = explanation,
            Mechanism = outcome.Mechanism?.Text,
            MechanismDomain = outcome.Mechanism is null ? null : outcome.Domain,
            LookupCount = Math.Min(check.Lookups, _options.MaxDnsLookups + 1),
            VoidLookupCount = check.VoidLookups,
            Problem = failed ? check.Problem : null,
            SyntaxError = failed ? check.SyntaxError : null,
        };
    }

    /// <summary>Splits at the last '@'; an empty local-part becomes "postmaster".</summary>
    private static (string LocalPart, string Domain) SplitAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return (Postmaster, address);
        }

        var localPart = address[..at];
        return (localPart.Length == 0 ? Postmaster : localPart, address[(at + 1)..]);
    }

    /// <summary>The domain as queried, or null when it is malformed or not multi-label (RFC 7208 §4.3):
    /// a domain literal, an empty or over-long label, a single label. U-labels become A-labels.</summary>
    private static string? CheckableDomain(string domain)
    {
        var name = DnsName.TrimTrailingDot(domain);
        foreach (var c in name)
        {
            if (c > '~')
            {
                try
                {
                    name = new IdnMapping().GetAscii(name);
                }
                catch (ArgumentException)
                {
                    return null;
                }

                break;
            }
        }

        if (!DnsName.CanQuery(name) || !name.Contains('.'))
        {
            return null;
        }

        foreach (var c in name)
        {
            if (c is <= ' ' or > '~' or '[' or ']' or '@')
            {
                return null;
            }
        }

        return name;
    }
}
