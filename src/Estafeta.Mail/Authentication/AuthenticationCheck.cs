using System.Net;
using Estafeta.Mail.Inbound;
using Estafeta.MailAuth.Arc;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.Spf;
using Estafeta.Smtp;
using MimeKit;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// The MX's mail authentication, after DATA: SPF for the MAIL FROM identity (HELO for the null sender),
/// every DKIM signature, the ARC chain, then DMARC for the From domain. Adds one Authentication-Results
/// field with our authserv-id; DMARC p=reject refuses with 550 5.7.1, p=quarantine files into Junk;
/// failures add to the spam score. Each DMARC outcome is recorded for the daily aggregate report.
/// </summary>
public sealed class AuthenticationCheck(
    string authservId,
    IDnsResolver dns,
    DmarcOutcomeRecorder outcomes,
    double junkThreshold,
    TimeProvider clock) : IInboundCheck
{
    private readonly SpfEvaluator _spf = new(dns, new SpfEvaluatorOptions { ReceivingHost = authservId }, clock);
    private readonly DkimVerifier _dkim = new(dns, clock);
    private readonly ArcVerifier _arc = new(dns);
    private readonly DmarcEvaluator _dmarc = new(dns);

    public async ValueTask<InboundVerdict> CheckAsync(InboundMessage message, CancellationToken ct)
    {
        var client = ClientAddress(message.Session);
        var helo = message.Session.HeloName ?? "";
        var content = await MessageBytes.ReadAllAsync(message.OpenContent(), ct);

        var spf = await CheckSpfAsync(client, message.From, helo, ct);
        var dkim = await _dkim.VerifyAsync(content, ct);
        var arc = await _arc.VerifyAsync(content, ct);
        var dmarc = await _dmarc.EvaluateAsync(new DmarcRequest
        {
            FromDomains = FromDomains(message.Headers),
            Spf = new DmarcSpfInput(spf.Domain, spf.Result == SpfResult.Pass),
            Dkim = [.. dkim.Where(d => d.Domain is not null).Select(d => new DmarcDkimInput(d.Domain!, d.Status == DkimStatus.Pass))],
        }, ct);

        var results = new AuthenticationResultsBuilder(authservId);
        results.AddSpf(Keyword(spf.Result), message.From.IsNull ? null : message.From.Address, message.From.IsNull ? helo : null, SpfComment(spf, client));
        foreach (var signature in dkim) results.Add(signature.ToAuthenticationResults());
        if (arc.Status != ArcStatus.None) results.Add(arc.ToAuthenticationResult(client.ToString()));
        results.AddDmarc(dmarc);
        var field = results.ToHeaderField().TrimEnd('\r', '\n');

        await outcomes.RecordAsync(dmarc, client, message.From, helo, spf, dkim, message.Recipients, ct);

        if (dmarc is { Status: DmarcStatus.Fail, Disposition: DmarcPolicy.Reject })
            return new InboundVerdict([field], 0, [], new SmtpReply(550, "5.7.1", $"Message refused by the DMARC policy of {dmarc.FromDomain} (p=reject): {dmarc.Reason}"));

        var reasons = Score(spf, dkim, dmarc);
        return new InboundVerdict([field], reasons.Sum(r => r.Points), [.. reasons.Select(r => r.ToString())]);
    }

    private List<ScoreReason> Score(SpfCheckResult spf, IReadOnlyList<DkimResult> dkim, DmarcResult dmarc)
    {
        var reasons = new List<ScoreReason>();
        switch (spf.Result)
        {
            case SpfResult.Fail: reasons.Add(new("SPF_FAIL", SpamPoints.SpfFail, $"SPF fail for {spf.Domain}")); break;
            case SpfResult.SoftFail: reasons.Add(new("SPF_SOFTFAIL", SpamPoints.SpfSoftFail, $"SPF softfail for {spf.Domain}")); break;
            case SpfResult.PermError: reasons.Add(new("SPF_PERMERROR", SpamPoints.SpfPermError, $"SPF record of {spf.Domain} is broken")); break;
        }
        var dkimPassed = dkim.Any(d => d.Status == DkimStatus.Pass);
        if (!dkimPassed && dkim.Any(d => d.Status is DkimStatus.Fail or DkimStatus.PermError or DkimStatus.Policy))
            reasons.Add(new("DKIM_FAIL", SpamPoints.DkimFail, "no DKIM signature verified"));
        if (!dkimPassed && dkim.All(d => d.Status == DkimStatus.None) && spf.Result is SpfResult.None or SpfResult.Neutral)
            reasons.Add(new("NO_AUTH", SpamPoints.NoAuthentication, "neither SPF nor DKIM authenticates the message"));
        if (dmarc.Status == DmarcStatus.Fail)
        {
            if (dmarc.Disposition == DmarcPolicy.Quarantine)
                reasons.Add(new("DMARC_QUARANTINE", Math.Max(junkThreshold, SpamPoints.DmarcFail), $"DMARC fail for {dmarc.FromDomain}, its policy says quarantine"));
            else
                reasons.Add(new("DMARC_FAIL", SpamPoints.DmarcFail, $"DMARC fail for {dmarc.FromDomain}"));
        }
        return reasons;
    }

    private async Task<SpfCheckResult> CheckSpfAsync(IPAddress client, ReversePath from, string helo, CancellationToken ct) =>
        from.IsNull
            ? await _spf.CheckAsync(SpfRequest.ForHelo(client, helo), ct)
            : await _spf.CheckAsync(SpfRequest.ForMailFrom(client, from.Address, helo), ct);

    public static IPAddress ClientAddress(SmtpSessionInfo session) =>
        session.Remote.Address.IsIPv4MappedToIPv6 ? session.Remote.Address.MapToIPv4() : session.Remote.Address;

    public static string Keyword(SpfResult result) => result.ToString().ToLowerInvariant();

    private static string SpfComment(SpfCheckResult spf, IPAddress client) => spf.Result switch
    {
        SpfResult.Pass => $"{spf.Domain} designates {client} as permitted sender",
        SpfResult.Fail or SpfResult.SoftFail => $"{spf.Domain} does not designate {client} as permitted sender",
        _ => spf.Problem ?? $"{spf.Domain}: {Keyword(spf.Result)}",
    };

    private static List<string> FromDomains(HeaderList headers) =>
        [.. EnvelopeReader.Addresses(headers, HeaderId.From).Where(a => a.Contains('@')).Select(a => a[(a.LastIndexOf('@') + 1)..])];
}
