using System.Globalization;
using System.Net;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.Spf;
using Estafeta.MailAuth.TlsRpt;
using Estafeta.Storage;

namespace Estafeta.Mail.Authentication;

/// <summary>What domain check compares the DNS with: the domain, this server's name and sending addresses,
/// its DKIM keys (private keys included, to compare public keys), and since when DMARC has said p=none.</summary>
public sealed record DomainCheckInput(
    string Domain,
    string HostName,
    IReadOnlyList<IPAddress> SendingAddresses,
    IReadOnlyList<(DkimKeyInfo Info, DkimPrivateKey Key)> Keys,
    DateTimeOffset? DmarcNoneSince = null);

/// <summary>The findings, the pending DKIM keys seen published (to activate), and whether DMARC said p=none.</summary>
public sealed record DomainCheckResult(string Domain, IReadOnlyList<RecordCheck> Checks, IReadOnlyList<DkimKeyInfo> PendingKeysSeen, bool? DmarcPolicyIsNone)
{
    public bool HasProblems => Checks.Any(c => c.IsProblem);
}

/// <summary>
/// Queries the DNS of a sending domain and says, record by record, whether it is ok, missing, wrong or weak,
/// with the exact fix: MX pointing at this server; exactly one SPF record, valid, within 10 lookups and
/// authorising this server's addresses; every DKIM key published and matching our private key; DMARC present,
/// not weak (p=none for long, reliance on pct) and with reachable rua= destinations; MTA-STS and TLS-RPT.
/// </summary>
public sealed class DomainCheck(IDnsResolver dns, TimeProvider clock, MtaStsResolver? mtaSts = null)
{
    /// <summary>p=none for longer than this is reported as weak.</summary>
    public static readonly TimeSpan NonePolicyIsWeakAfter = TimeSpan.FromDays(30);

    private readonly SpfEvaluator _spf = new(dns, time: clock);

    public async Task<DomainCheckResult> RunAsync(DomainCheckInput input, CancellationToken ct = default)
    {
        var checks = new List<RecordCheck>();
        checks.Add(await CheckMxAsync(input, ct));
        checks.AddRange(await CheckSpfAsync(input, ct));
        var seen = new List<DkimKeyInfo>();
        checks.AddRange(await CheckDkimAsync(input, seen, ct));
        var (dmarc, isNone) = await CheckDmarcAsync(input, ct);
        checks.AddRange(dmarc);
        checks.Add(await new MtaStsCheck(dns, clock, mtaSts).RunAsync(input, ct));
        checks.Add(await CheckTlsRptAsync(input.Domain, ct));
        return new DomainCheckResult(input.Domain, checks, seen, isNone);
    }

    private async Task<RecordCheck> CheckMxAsync(DomainCheckInput input, CancellationToken ct)
    {
        var line = DomainRecords.Mx(input.Domain, input.HostName).ZoneLine;
        // Publishing "MX 10 localhost." would send the domain's mail nowhere: the host name comes first.
        var publish = DomainRecords.IsPublicHostName(input.HostName)
            ? "publish: " + line
            : DomainRecords.HostNameToDo(input.Domain, input.HostName) + " Then publish the MX record that names it (estafeta domain records).";
        var mx = await dns.MxAsync(input.Domain, ct);
        if (mx.Status == DnsStatus.TemporaryFailure) return DnsFailure("MX", input.Domain);
        if (mx.Status == DnsStatus.NameError)
            return new RecordCheck("MX", input.Domain, RecordStatus.Missing,
                $"{input.Domain} does not exist in DNS (NXDOMAIN): no record of it can be found until the domain is registered and delegated to name servers", publish);
        var hosts = mx.Records.Select(r => r.Exchange.TrimEnd('.')).Where(h => h.Length > 0).ToList();
        if (hosts.Count == 0)
            return new RecordCheck("MX", input.Domain, RecordStatus.Missing, "no MX record: mail for the domain has nowhere to go", publish);
        if (hosts.Any(h => h.Equals(input.HostName, StringComparison.OrdinalIgnoreCase)))
            return new RecordCheck("MX", input.Domain, RecordStatus.Ok, "MX " + string.Join(", ", hosts));
        return new RecordCheck("MX", input.Domain, RecordStatus.Wrong,
            $"MX points at {string.Join(", ", hosts)}, not at this server ({input.HostName})",
            DomainRecords.IsPublicHostName(input.HostName) ? "replace the MX records with: " + line : publish);
    }

    private async Task<List<RecordCheck>> CheckSpfAsync(DomainCheckInput input, CancellationToken ct)
    {
        var domain = input.Domain;
        var ours = input.SendingAddresses.Count == 0 ? null : DomainRecords.Txt("SPF", domain, DomainRecords.SpfValue(input.SendingAddresses)).ZoneLine;
        var setAddresses = $"first tell Estafeta this server's sending addresses: estafeta domain set {domain} --sending-ip ADDRESS";
        var txt = await dns.TxtAsync(domain, ct);
        if (txt.Status == DnsStatus.TemporaryFailure) return [DnsFailure("SPF", domain)];
        var records = txt.Records.Where(SpfRecordParser.IsSpfRecord).ToList();
        if (records.Count == 0)
            return [new RecordCheck("SPF", domain, RecordStatus.Missing, "no SPF record (v=spf1): receivers cannot tell which servers may send for the domain",
                ours is null ? setAddresses : "publish: " + ours)];
        if (records.Count > 1)
            return [new RecordCheck("SPF", domain, RecordStatus.Wrong,
                $"{records.Count} SPF records: receivers treat that as a permanent error and SPF fails for all mail",
                "publish one record instead of them: " + DomainRecords.TxtLine(domain, DkimDnsRecord.SplitTxt(SpfRecordText.WithTerms(
                    SpfRecordText.Merge(records), input.SendingAddresses.Select(DomainRecords.SpfTerm)))))];

        var text = records[0];
        var parsed = SpfRecordParser.Parse(text);
        if (parsed.Record is not { } record)
        {
            var error = parsed.Error!;
            return [new RecordCheck("SPF", domain, RecordStatus.Wrong,
                string.Create(CultureInfo.InvariantCulture, $"syntax error at column {error.Position + 1}: {error.Message}\n{error.Describe()}"),
                ours is null ? "correct the record at the marked position" : "correct the record at the marked position; for this server alone it is: " + ours)];
        }

        var checks = new List<RecordCheck>();
        var (total, terms) = await SpfRecordText.LookupCostAsync(dns, record, ct);
        var costs = string.Join(", ", terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Term} costs {t.Cost}")));
        if (total > 10)
            checks.Add(new RecordCheck("SPF", domain, RecordStatus.Wrong,
                string.Create(CultureInfo.InvariantCulture, $"{total} DNS lookups, more than the 10 receivers allow (SPF permerror): {costs}"),
                "remove the includes you no longer use, or replace them with the ip4:/ip6: ranges of those services, until the record costs at most 10 lookups"));

        if (input.SendingAddresses.Count == 0)
        {
            checks.Add(new RecordCheck("SPF", domain, RecordStatus.Weak, "this server's sending addresses are unknown, so whether the record authorises them cannot be checked", setAddresses, Required: false));
            return checks;
        }
        var refused = new List<string>();
        SpfCheckResult? failed = null;
        foreach (var address in input.SendingAddresses)
        {
            var result = await _spf.CheckHostAsync(address, domain, "postmaster@" + domain, input.HostName, ct);
            if (result.Result is SpfResult.PermError or SpfResult.TempError) failed ??= result;
            if (result.Result != SpfResult.Pass)
                refused.Add($"{address} ({result.Result.ToString().ToLowerInvariant()}{(result.Mechanism is null ? "" : " by " + result.Mechanism)})");
        }
        if (failed is not null)
        {
            // The record itself fails (a term that leads nowhere, a record it includes that is broken): that is the problem
            // for every sender, and adding our addresses after the failing term would not mend it.
            if (checks.Count == 0) checks.Add(RecordFails(input, text, record, failed));
            return checks;
        }
        if (refused.Count > 0)
        {
            var fixedRecord = SpfRecordText.WithTerms(text, input.SendingAddresses.Select(DomainRecords.SpfTerm));
            checks.Add(new RecordCheck("SPF", domain, RecordStatus.Wrong,
                $"this server's addresses are not authorised: {string.Join(", ", refused)}",
                "publish: " + DomainRecords.TxtLine(domain, DkimDnsRecord.SplitTxt(fixedRecord))));
        }
        if (checks.Count == 0)
            checks.Add(new RecordCheck("SPF", domain, RecordStatus.Ok,
                string.Create(CultureInfo.InvariantCulture, $"authorises {string.Join(", ", input.SendingAddresses)}; {total} DNS lookup{(total == 1 ? "" : "s")}")));
        return checks;
    }

    /// <summary>The record fails with permerror or temperror for our addresses. When the evaluator's reason names one
    /// of the record's own include: or redirect= terms, the fix is the record without it (and with our addresses).</summary>
    private static RecordCheck RecordFails(DomainCheckInput input, string text, SpfRecord record, SpfCheckResult failed)
    {
        var domain = input.Domain;
        var why = failed.Problem ?? "the evaluation failed";
        if (failed.Result == SpfResult.TempError)
            return new RecordCheck("SPF", domain, RecordStatus.Wrong, $"evaluating the record failed temporarily (temperror): {why}",
                "check that the name servers of every domain the record names answer, then run the check again");

        var detail = $"the record fails with permerror, so receivers treat SPF as failed for all mail: {why}";
        IEnumerable<string> terms = [.. record.Mechanisms.Where(m => m.Kind == SpfMechanismKind.Include).Select(m => m.Text.TrimStart('+', '-', '~', '?')),
            .. record.Redirect is { } redirect ? ["redirect=" + redirect.Text] : Array.Empty<string>()];
        var culprit = terms.FirstOrDefault(t => why.StartsWith(t + " of " + domain + " ", StringComparison.OrdinalIgnoreCase));
        if (culprit is null) return new RecordCheck("SPF", domain, RecordStatus.Wrong, detail, "correct the record so that what the reason names resolves to a valid SPF record");
        var mended = SpfRecordText.WithTerms(SpfRecordText.WithoutTerm(text, culprit), input.SendingAddresses.Select(DomainRecords.SpfTerm));
        return new RecordCheck("SPF", domain, RecordStatus.Wrong, detail,
            $"correct the domain in {culprit}, or remove it if that service no longer sends for you; without it: " + DomainRecords.TxtLine(domain, DkimDnsRecord.SplitTxt(mended)));
    }

    private async Task<List<RecordCheck>> CheckDkimAsync(DomainCheckInput input, List<DkimKeyInfo> seen, CancellationToken ct)
    {
        var keys = input.Keys.Where(k => k.Info.State != DkimKeyState.Retired).ToList();
        if (keys.Count == 0)
            return [new RecordCheck("DKIM", input.Domain, RecordStatus.Missing, "the domain has no DKIM keys: its mail leaves unsigned", $"run: estafeta domain rotate-dkim {input.Domain}")];
        var checks = new List<RecordCheck>();
        foreach (var (info, key) in keys)
        {
            var name = DkimDnsRecord.Name(info.Selector, info.Domain);
            var label = $"DKIM {info.Algorithm}";
            var line = DomainRecords.Dkim(info, key).ZoneLine;
            var pending = info.State == DkimKeyState.Pending;
            var txt = await dns.TxtAsync(name, ct);
            if (txt.Status == DnsStatus.TemporaryFailure)
            {
                checks.Add(DnsFailure(label, name));
                continue;
            }
            if (txt.Records.Count == 0)
            {
                // A rotation's new key waits for its record while mail is signed (and verifies) with the current one: nothing
                // is wrong yet, so it does not make the check fail (a cron job alerting on the exit status would go off after
                // every rotation).
                checks.Add(new RecordCheck(label, name, pending ? RecordStatus.Pending : RecordStatus.Missing,
                    pending ? "new key not published yet: signing switches to it once it is" : "key not published: receivers cannot verify our signatures (dkim=permerror)",
                    "publish: " + line));
                continue;
            }
            var expected = Convert.FromBase64String(key.PublicKeyBase64);
            string? error = null;
            var matches = false;
            foreach (var text in txt.Records)
            {
                if (!DkimPublicKeyRecord.TryParse(text, out var record, out var parseError)) { error ??= parseError; continue; }
                if (record!.PublicKey.AsSpan().SequenceEqual(expected)) matches = true;
            }
            if (matches)
            {
                if (pending) seen.Add(info);
                checks.Add(new RecordCheck(label, name, RecordStatus.Ok, pending ? "new key published: signing switches to it now" : $"published, matches selector {info.Selector}"));
            }
            else if (error is not null)
                checks.Add(new RecordCheck(label, name, RecordStatus.Wrong, $"the record is not a usable DKIM key: {error}", "replace it with: " + line));
            else
                checks.Add(new RecordCheck(label, name, RecordStatus.Wrong, "the published key does not match our private key: signatures will fail", "replace it with: " + line));
        }
        return checks;
    }

    private async Task<(List<RecordCheck> Checks, bool? IsNone)> CheckDmarcAsync(DomainCheckInput input, CancellationToken ct)
    {
        var domain = input.Domain;
        var name = "_dmarc." + domain;
        var ours = DomainRecords.Txt("DMARC", name, DomainRecords.DmarcValue(domain)).ZoneLine;
        var txt = await dns.TxtAsync(name, ct);
        if (txt.Status == DnsStatus.TemporaryFailure) return ([DnsFailure("DMARC", name)], null);
        var records = txt.Records.Where(DmarcRecord.LooksLikeDmarc).ToList();
        if (records.Count == 0)
            return ([new RecordCheck("DMARC", name, RecordStatus.Missing, "no DMARC record: receivers apply no policy to mail forging the domain and send no reports", "publish: " + ours)], null);
        if (records.Count > 1)
            return ([new RecordCheck("DMARC", name, RecordStatus.Wrong, $"{records.Count} DMARC records: receivers ignore all of them", "keep exactly one: " + ours)], null);
        if (!DmarcRecord.TryParse(records[0], out var record, out var parseError))
            return ([new RecordCheck("DMARC", name, RecordStatus.Wrong, $"not a usable DMARC record: {parseError}", "replace it with: " + ours)], null);

        var checks = new List<RecordCheck>();
        var broken = record!.Issues.Where(i => i.Kind is DmarcRecordIssueKind.Syntax or DmarcRecordIssueKind.InvalidValue or DmarcRecordIssueKind.DuplicateTag).ToList();
        if (broken.Count > 0)
            checks.Add(new RecordCheck("DMARC", name, RecordStatus.Wrong, "errors in the record: " + string.Join("; ", broken), "correct those tags; a working record is: " + ours));

        var policy = record.Policy.ToKeyword();
        if (record.ReliesOnPercent)
            checks.Add(new RecordCheck("DMARC", name, RecordStatus.Weak,
                string.Create(CultureInfo.InvariantCulture, $"pct={record.Percent} only works as intended under RFC 7489: receivers following RFC 9989 ignore pct= and apply p={policy} to all failing mail"),
                "remove pct=; to try a stricter policy first, publish it with t=y (testing) instead"));
        var isNone = record.Policy == DmarcPolicy.None;
        var now = clock.GetUtcNow();
        if (isNone && input.DmarcNoneSince is { } since && now - since >= NonePolicyIsWeakAfter)
            checks.Add(new RecordCheck("DMARC", name, RecordStatus.Weak,
                string.Create(CultureInfo.InvariantCulture, $"p=none for {(int)(now - since).TotalDays} days: mail forging the domain is still delivered"),
                "once the reports show only your own senders (estafeta dmarc summary --domain " + domain + "), publish: " + DomainRecords.TxtLine(name, [DomainRecords.DmarcValue(domain, "quarantine")])));
        checks.AddRange(await CheckRuaAsync(domain, name, record, ct));
        if (checks.Count == 0)
        {
            var notes = record.HasObsoleteTags ? "; pct, rf and ri are RFC 7489 tags that RFC 9989 receivers ignore" : "";
            checks.Add(new RecordCheck("DMARC", name, RecordStatus.Ok, isNone
                ? $"p=none: receivers report but do not act yet; tighten it after a few weeks of clean reports{notes}"
                : $"p={policy}{(record.Testing ? " with t=y (testing: not applied yet)" : "")}{notes}"));
        }
        return (checks, isNone);
    }

    private async Task<List<RecordCheck>> CheckRuaAsync(string domain, string name, DmarcRecord record, CancellationToken ct)
    {
        if (record.AggregateReportUris.Count == 0)
            return [new RecordCheck("DMARC rua", name, RecordStatus.Weak, "no rua=: nobody receives the aggregate reports",
                $"add rua=mailto:{DomainRecords.ReportAddress(domain)} to the record", Required: false)];
        var allowed = await new ReportDestinationVerifier(dns).VerifyAsync(domain, record.AggregateReportUris, ct);
        return [.. record.AggregateReportUris.Where(u => !allowed.Contains(u)).Select(u => new RecordCheck("DMARC rua", name, RecordStatus.Wrong,
            $"rua {u} is outside {domain} and {u.Domain} does not accept its reports: receivers will not send them (RFC 9990)",
            $"publish at the destination: {DomainRecords.TxtLine($"{domain}._report._dmarc.{u.Domain}", ["v=DMARC1"])}; or use rua=mailto:{DomainRecords.ReportAddress(domain)}"))];
    }

    /// <summary>TLS-RPT (optional): one v=TLSRPTv1 record whose rua= includes the domain's TLS report address.</summary>
    private async Task<RecordCheck> CheckTlsRptAsync(string domain, CancellationToken ct)
    {
        const string Label = "TLS-RPT";
        var name = "_smtp._tls." + domain;
        var ours = DomainRecords.TxtLine(name, [DomainRecords.TlsRptValue(domain)]);
        var address = DomainRecords.TlsReportAddress(domain);
        var txt = await dns.TxtAsync(name, ct);
        if (txt.Status == DnsStatus.TemporaryFailure) return DnsFailure(Label, name) with { Required = false };
        var records = txt.Records.Where(TlsRptRecord.LooksLikeTlsRpt).ToList();
        if (records.Count == 0)
            return new RecordCheck(Label, name, RecordStatus.Missing, "not published (optional): you get no reports of failed TLS connections to your MX",
                "publish: " + ours, Required: false);
        if (records.Count > 1)
            return new RecordCheck(Label, name, RecordStatus.Wrong, $"{records.Count} TLS-RPT records: senders ignore all of them (RFC 8460 §3)",
                "keep exactly one: " + ours, Required: false);
        if (!TlsRptRecord.TryParse(records[0], out var record, out var error))
            return new RecordCheck(Label, name, RecordStatus.Wrong, $"not a usable TLS-RPT record: {error}", "replace it with: " + ours, Required: false);
        if (record!.UnsupportedUris.Count == record.ReportUris.Count)
            return new RecordCheck(Label, name, RecordStatus.Wrong,
                $"not a usable TLS-RPT record: rua {record.UnsupportedUris[0]} is neither a mailto: nor an https: URI", "replace it with: " + ours, Required: false);
        if (record.MailtoAddresses.Any(a => a.Equals(address, StringComparison.OrdinalIgnoreCase)))
            return new RecordCheck(Label, name, RecordStatus.Ok, $"reports go to {address}; see them with estafeta tlsrpt summary --domain {domain}", Required: false);
        var postmaster = $"postmaster@{domain}";
        return new RecordCheck(Label, name, RecordStatus.Wrong,
            record.MailtoAddresses.Any(a => a.Equals(postmaster, StringComparison.OrdinalIgnoreCase))
                ? $"reports go to {string.Join(", ", record.ReportUris)}, not to {address}: Estafeta reads those sent to {postmaster} but files each in the postmaster mailbox too"
                : $"reports go to {string.Join(", ", record.ReportUris)}, not to {address}: Estafeta does not read them",
            "to have them in estafeta tlsrpt summary, replace it with: " + ours + " (or add mailto:" + address + " to rua=)", Required: false);
    }

    internal static RecordCheck DnsFailure(string label, string name) =>
        new(label, name, RecordStatus.Wrong, $"the DNS lookup of {name} failed", "check that the domain's name servers answer, then run the check again");
}
