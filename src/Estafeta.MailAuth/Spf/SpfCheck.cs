using System.Globalization;
using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Spf;

/// <summary>One evaluation: check_host() (RFC 7208 §4) with the counters it shares across include
/// and redirect — DNS-querying terms, void lookups and elapsed time.</summary>
internal sealed class SpfCheck
{
    private readonly IDnsResolver _dns;
    private readonly SpfEvaluatorOptions _options;
    private readonly SpfRecordCache _records;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationToken _ct;
    private readonly UInt128 _addressBits;
    private string? _dottedAddress;
    private Dictionary<string, string>? _validatedNames;

    public SpfCheck(IDnsResolver dns, SpfEvaluatorOptions options, SpfRecordCache records, TimeProvider time,
        IPAddress address, string localPart, string senderDomain, string helo, CancellationToken ct)
    {
        _dns = dns;
        _options = options;
        _records = records;
        _time = time;
        _ct = ct;
        _started = time.GetTimestamp();
        Address = SpfAddress.Normalize(address);
        IsIp4 = SpfAddress.IsIp4(Address);
        _addressBits = SpfAddress.Bits(Address);
        LocalPart = localPart;
        SenderDomain = senderDomain;
        Sender = localPart + "@" + senderDomain;
        Helo = helo;
    }

    public IPAddress Address { get; }

    public bool IsIp4 { get; }

    public string Sender { get; }

    public string LocalPart { get; }

    public string SenderDomain { get; }

    public string Helo { get; }

    public string ReceivingHost => _options.ReceivingHost;

    public DateTimeOffset Now => _time.GetUtcNow();

    public string DottedAddress => _dottedAddress ??= SpfAddress.Dotted(Address);

    public int Lookups { get; private set; }

    public int VoidLookups { get; private set; }

    public string? Problem { get; private set; }

    public SpfSyntaxError? SyntaxError { get; private set; }

    /// <summary>check_host(): fetch the one SPF record of <paramref name="domain"/> and evaluate it.</summary>
    public async ValueTask<SpfHostOutcome> CheckHostAsync(string domain)
    {
        if (TimedOut())
        {
            return SpfHostOutcome.Error(SpfResult.TempError, domain);
        }

        var txt = await _dns.TxtAsync(domain, _ct).ConfigureAwait(false);
        if (txt.Status == DnsStatus.TemporaryFailure)
        {
            Problem = $"DNS failure looking up the TXT records of {domain}";
            return SpfHostOutcome.Error(SpfResult.TempError, domain);
        }

        if (txt.Status == DnsStatus.NameError)
        {
            Problem = $"{domain} does not exist";
            return SpfHostOutcome.Error(SpfResult.None, domain);
        }

        string? recordText = null;
        foreach (var candidate in txt.Records)
        {
            if (!SpfRecordParser.IsSpfRecord(candidate))
            {
                continue;
            }

            if (recordText is not null)
            {
                Problem = $"{domain} publishes more than one SPF record";
                return SpfHostOutcome.Error(SpfResult.PermError, domain);
            }

            recordText = candidate;
        }

        if (recordText is null)
        {
            Problem = $"{domain} publishes no SPF record";
            return SpfHostOutcome.Error(SpfResult.None, domain);
        }

        var parsed = _records.Parse(recordText);
        if (parsed.Record is not { } record)
        {
            SyntaxError = parsed.Error;
            Problem = $"syntax error in the SPF record of {domain}: {parsed.Error}";
            return SpfHostOutcome.Error(SpfResult.PermError, domain);
        }

        return await EvaluateAsync(record, domain).ConfigureAwait(false);
    }

    /// <summary>The explanation of a fail: the exp= TXT record of the record that failed, or the default
    /// when there is none or it cannot be used (RFC 7208 §6.2).</summary>
    public async ValueTask<string> ExplainAsync(SpfHostOutcome outcome, SpfMacroString defaultExplanation)
    {
        if (outcome.Record?.Explanation is { } explanation)
        {
            var text = await ExplanationTextAsync(explanation, outcome.Domain).ConfigureAwait(false);
            if (text is not null)
            {
                return text;
            }
        }

        return await ExpandAsync(defaultExplanation, outcome.Domain).ConfigureAwait(false);
    }

    private async ValueTask<SpfHostOutcome> EvaluateAsync(SpfRecord record, string domain)
    {
        foreach (var mechanism in record.Mechanisms)
        {
            switch (await MatchAsync(mechanism, domain).ConfigureAwait(false))
            {
                case SpfMatch.Yes:
                    return new SpfHostOutcome(mechanism.Qualifier.ToResult(), domain, record, mechanism);
                case SpfMatch.TempError:
                    return SpfHostOutcome.Error(SpfResult.TempError, domain);
                case SpfMatch.PermError:
                    return SpfHostOutcome.Error(SpfResult.PermError, domain);
            }
        }

        if (record.Redirect is not { } redirect)
        {
            return new SpfHostOutcome(SpfResult.Neutral, domain, record, null);
        }

        if (TimedOut())
        {
            return SpfHostOutcome.Error(SpfResult.TempError, domain);
        }

        if (!CountLookup())
        {
            return SpfHostOutcome.Error(SpfResult.PermError, domain);
        }

        var target = await TargetAsync(redirect, domain).ConfigureAwait(false);
        if (target is null)
        {
            Problem = $"redirect={redirect} of {domain} is not a valid domain name";
            return SpfHostOutcome.Error(SpfResult.PermError, domain);
        }

        var outcome = await CheckHostAsync(target).ConfigureAwait(false);
        if (outcome.Result == SpfResult.None)
        {
            Problem = $"redirect={target} of {domain} leads to no SPF record";
            return SpfHostOutcome.Error(SpfResult.PermError, domain);
        }

        return outcome;
    }

    private ValueTask<SpfMatch> MatchAsync(SpfMechanism mechanism, string domain)
    {
        if (mechanism.CausesDnsLookup)
        {
            if (TimedOut())
            {
                return ValueTask.FromResult(SpfMatch.TempError);
            }

            if (!CountLookup())
            {
                return ValueTask.FromResult(SpfMatch.PermError);
            }
        }

        return mechanism.Kind switch
        {
            SpfMechanismKind.All => ValueTask.FromResult(SpfMatch.Yes),
            SpfMechanismKind.Ip4 => ValueTask.FromResult(IsIp4 && SpfAddress.SamePrefix(mechanism.NetworkBits, _addressBits, mechanism.Cidr4, true) ? SpfMatch.Yes : SpfMatch.No),
            SpfMechanismKind.Ip6 => ValueTask.FromResult(!IsIp4 && SpfAddress.SamePrefix(mechanism.NetworkBits, _addressBits, mechanism.Cidr6, false) ? SpfMatch.Yes : SpfMatch.No),
            SpfMechanismKind.A => MatchAAsync(mechanism, domain),
            SpfMechanismKind.Mx => MatchMxAsync(mechanism, domain),
            SpfMechanismKind.Ptr => MatchPtrAsync(mechanism, domain),
            SpfMechanismKind.Exists => MatchExistsAsync(mechanism, domain),
            SpfMechanismKind.Include => MatchIncludeAsync(mechanism, domain),
            _ => ValueTask.FromResult(SpfMatch.No),
        };
    }

    /// <summary>RFC 7208 §5.3.</summary>
    private async ValueTask<SpfMatch> MatchAAsync(SpfMechanism mechanism, string domain)
    {
        var target = await TargetAsync(mechanism.Domain, domain).ConfigureAwait(false);
        if (target is null)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        var answer = await AddressesAsync(target).ConfigureAwait(false);
        if (answer.Status == DnsStatus.TemporaryFailure)
        {
            Problem = $"DNS failure looking up the addresses of {target}";
            return SpfMatch.TempError;
        }

        if (answer.IsVoid)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        return AnyInNetwork(answer.Records, mechanism) ? SpfMatch.Yes : SpfMatch.No;
    }

    /// <summary>RFC 7208 §5.4: at most 10 MX records, each looked up for addresses.</summary>
    private async ValueTask<SpfMatch> MatchMxAsync(SpfMechanism mechanism, string domain)
    {
        var target = await TargetAsync(mechanism.Domain, domain).ConfigureAwait(false);
        if (target is null)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        var mx = await _dns.MxAsync(target, _ct).ConfigureAwait(false);
        if (mx.Status == DnsStatus.TemporaryFailure)
        {
            Problem = $"DNS failure looking up the MX records of {target}";
            return SpfMatch.TempError;
        }

        if (mx.IsVoid)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        if (mx.Records.Count > _options.MaxNamesPerMechanism)
        {
            Problem = $"{target} has {mx.Records.Count} MX records; at most {_options.MaxNamesPerMechanism} may be looked up";
            return SpfMatch.PermError;
        }

        foreach (var exchange in mx.Records)
        {
            var host = DnsName.TrimTrailingDot(exchange.Exchange);
            if (!DnsName.CanQuery(host))
            {
                continue;
            }

            var answer = await AddressesAsync(host).ConfigureAwait(false);
            if (answer.Status == DnsStatus.TemporaryFailure)
            {
                Problem = $"DNS failure looking up the addresses of {host}";
                return SpfMatch.TempError;
            }

            if (AnyInNetwork(answer.Records, mechanism))
            {
                return SpfMatch.Yes;
            }
        }

        return SpfMatch.No;
    }

    /// <summary>RFC 7208 §5.5: a validated name of the client equal to or under the target. DNS
    /// errors on the PTR or address lookups make names not match rather than fail.</summary>
    private async ValueTask<SpfMatch> MatchPtrAsync(SpfMechanism mechanism, string domain)
    {
        var target = await TargetAsync(mechanism.Domain, domain).ConfigureAwait(false);
        if (target is null)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        var ptr = await _dns.PtrAsync(Address, _ct).ConfigureAwait(false);
        if (ptr.Status == DnsStatus.TemporaryFailure)
        {
            return SpfMatch.No;
        }

        if (ptr.IsVoid)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        var examined = Math.Min(ptr.Records.Count, _options.MaxNamesPerMechanism);
        for (var i = 0; i < examined; i++)
        {
            var name = DnsName.TrimTrailingDot(ptr.Records[i]);
            if (IsAtOrUnder(name, target) && await IsValidatedAsync(name).ConfigureAwait(false))
            {
                return SpfMatch.Yes;
            }
        }

        return SpfMatch.No;
    }

    /// <summary>RFC 7208 §5.7: an A lookup whatever the client's address family.</summary>
    private async ValueTask<SpfMatch> MatchExistsAsync(SpfMechanism mechanism, string domain)
    {
        var target = await TargetAsync(mechanism.Domain, domain).ConfigureAwait(false);
        if (target is null)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        var answer = await _dns.AAsync(target, _ct).ConfigureAwait(false);
        if (answer.Status == DnsStatus.TemporaryFailure)
        {
            Problem = $"DNS failure looking up the address of {target}";
            return SpfMatch.TempError;
        }

        if (answer.IsVoid)
        {
            return CountVoid() ? SpfMatch.No : SpfMatch.PermError;
        }

        return SpfMatch.Yes;
    }

    /// <summary>RFC 7208 §5.2: pass matches; fail, softfail and neutral do not; none is a permerror.</summary>
    private async ValueTask<SpfMatch> MatchIncludeAsync(SpfMechanism mechanism, string domain)
    {
        var target = await TargetAsync(mechanism.Domain, domain).ConfigureAwait(false);
        if (target is null)
        {
            Problem = $"include:{mechanism.Domain} of {domain} is not a valid domain name";
            return SpfMatch.PermError;
        }

        var outcome = await CheckHostAsync(target).ConfigureAwait(false);
        switch (outcome.Result)
        {
            case SpfResult.Pass:
                return SpfMatch.Yes;
            case SpfResult.TempError:
                return SpfMatch.TempError;
            case SpfResult.PermError:
                return SpfMatch.PermError;
            case SpfResult.None:
                Problem = $"include:{target} of {domain} leads to no SPF record";
                return SpfMatch.PermError;
            default:
                return SpfMatch.No;
        }
    }

    private async ValueTask<string?> ExplanationTextAsync(SpfMacroString explanation, string domain)
    {
        var target = await TargetAsync(explanation, domain).ConfigureAwait(false);
        if (target is null)
        {
            return null;
        }

        var txt = await _dns.TxtAsync(target, _ct).ConfigureAwait(false);
        if (txt.Status != DnsStatus.Ok || txt.Records.Count != 1)
        {
            return null;
        }

        var text = txt.Records[0];
        var parsed = SpfMacroParser.Parse(text, 0, text.Length, SpfMacroPlace.Explanation, out _);
        return parsed is null ? null : await ExpandAsync(parsed, domain).ConfigureAwait(false);
    }

    public async ValueTask<string> ExpandAsync(SpfMacroString macroString, string domain)
    {
        if (macroString.Literal is { } literal)
        {
            return literal;
        }

        var validatedName = macroString.UsesValidatedName ? await ValidatedNameAsync(domain).ConfigureAwait(false) : null;
        return SpfMacroExpansion.Expand(macroString, this, domain, validatedName);
    }

    /// <summary>The name a domain-spec expands to (RFC 7208 §4.8, §7.3): the current domain when absent;
    /// a trailing dot dropped; labels dropped from the left until it fits in 253 octets. Null when the
    /// result cannot be a DNS name (empty or over-long label).</summary>
    private async ValueTask<string?> TargetAsync(SpfMacroString? domainSpec, string domain)
    {
        if (domainSpec is null)
        {
            return domain;
        }

        var name = DnsName.TrimTrailingDot(await ExpandAsync(domainSpec, domain).ConfigureAwait(false));
        while (name.Length > DnsName.MaxLength)
        {
            var dot = name.IndexOf('.');
            if (dot < 0)
            {
                break;
            }

            name = name[(dot + 1)..];
        }

        return DnsName.CanQuery(name) ? name : null;
    }

    /// <summary>The p macro (RFC 7208 §7.3): a validated name equal to the domain, else one under it,
    /// else any validated name, else "unknown".</summary>
    private async ValueTask<string> ValidatedNameAsync(string domain)
    {
        _validatedNames ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (_validatedNames.TryGetValue(domain, out var known))
        {
            return known;
        }

        string? exact = null, under = null, any = null;
        var ptr = await _dns.PtrAsync(Address, _ct).ConfigureAwait(false);
        if (ptr.Status == DnsStatus.Ok)
        {
            var examined = Math.Min(ptr.Records.Count, _options.MaxNamesPerMechanism);
            for (var i = 0; i < examined && exact is null; i++)
            {
                var name = DnsName.TrimTrailingDot(ptr.Records[i]);
                if (!await IsValidatedAsync(name).ConfigureAwait(false))
                {
                    continue;
                }

                if (name.Equals(domain, StringComparison.OrdinalIgnoreCase))
                {
                    exact = name;
                }
                else if (under is null && IsAtOrUnder(name, domain))
                {
                    under = name;
                }

                any ??= name;
            }
        }

        var validated = exact ?? under ?? any ?? "unknown";
        _validatedNames[domain] = validated;
        return validated;
    }

    /// <summary>A name is validated when one of its addresses is the client's (RFC 7208 §5.5).</summary>
    private async ValueTask<bool> IsValidatedAsync(string name)
    {
        if (!DnsName.CanQuery(name))
        {
            return false;
        }

        var answer = await AddressesAsync(name).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Ok)
        {
            return false;
        }

        foreach (var address in answer.Records)
        {
            if (SpfAddress.IsIp4(address) == IsIp4 && SpfAddress.Bits(address) == _addressBits)
            {
                return true;
            }
        }

        return false;
    }

    private Task<DnsAnswer<IPAddress>> AddressesAsync(string name) =>
        IsIp4 ? _dns.AAsync(name, _ct) : _dns.AaaaAsync(name, _ct);

    private bool AnyInNetwork(IReadOnlyList<IPAddress> addresses, SpfMechanism mechanism)
    {
        var prefix = IsIp4 ? mechanism.Cidr4 : mechanism.Cidr6;
        foreach (var address in addresses)
        {
            if (SpfAddress.IsIp4(address) == IsIp4 && SpfAddress.SamePrefix(SpfAddress.Bits(address), _addressBits, prefix, IsIp4))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAtOrUnder(string name, string domain) =>
        name.Length == domain.Length
            ? name.Equals(domain, StringComparison.OrdinalIgnoreCase)
            : name.Length > domain.Length
              && name[name.Length - domain.Length - 1] == '.'
              && name.EndsWith(domain, StringComparison.OrdinalIgnoreCase);

    private bool CountLookup()
    {
        if (++Lookups <= _options.MaxDnsLookups)
        {
            return true;
        }

        Problem = $"more than {_options.MaxDnsLookups} DNS-querying mechanisms and modifiers";
        return false;
    }

    private bool CountVoid()
    {
        if (++VoidLookups <= _options.MaxVoidLookups)
        {
            return true;
        }

        Problem = $"more than {_options.MaxVoidLookups} DNS lookups found nothing";
        return false;
    }

    private bool TimedOut()
    {
        if (_time.GetElapsedTime(_started) <= _options.Timeout)
        {
            return false;
        }

        Problem = string.Create(CultureInfo.InvariantCulture, $"evaluation took longer than {_options.Timeout.TotalSeconds:0} s");
        return true;
    }
}
