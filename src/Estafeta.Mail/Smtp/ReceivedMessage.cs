using System.Text;
using Estafeta.Mail.Authentication;
using Estafeta.Mail.Inbound;
using Estafeta.MailAuth.TlsRpt;
using Estafeta.Net;
using Estafeta.Smtp;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Smtp;

/// <summary>
/// One message arriving by SMTP. DATA lands in a spool; at the end of DATA the message goes through
/// named steps: read its header, check the sender's From (submission), route the recipients, run the
/// inbound checks (MX), check quotas, write the message file, commit the index rows and queue entry
/// in one durable transaction. Only then does the client get 250.
/// </summary>
public sealed class ReceivedMessage(SmtpMode mode, MailEngine engine, SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients) : IMessageWriter
{
    /// <summary>Where mail scored as spam is filed (one of the default mailboxes of every account).</summary>
    public const string JunkMailbox = "Junk";

    private readonly SpoolStream _spool = new(engine.Blobs.TempDirectory);
    private bool _toReportAddress;
    private bool _toTlsReportAddress;
    private bool _toPostmaster;
    private string? _forwardedBy;

    public Stream Content => _spool;

    public async ValueTask<SmtpReply> CommitAsync(DotStreamResult body, CancellationToken ct)
    {
        var now = engine.Clock.GetUtcNow();
        var queueId = QueueId.New(now);
        try
        {
            var headers = ReadHeader();
            if (TooManyHops(headers) is { } loop) return loop;
            if (mode == SmtpMode.Submission && await CheckFromHeaderAsync(headers, ct) is { } fromRefusal) return fromRefusal;

            // Bounces and complaints for VERP and feedback addresses are recorded here, before normal routing.
            var remaining = mode == SmtpMode.Mx ? await UnsubscribeMail.ReceiveAsync(engine, recipients, from.Address, ct) : recipients;
            var routed = mode == SmtpMode.Mx ? await engine.Feedback.ReceiveAsync(remaining, _spool.OpenRead, ct) : recipients;
            if (routed.Count == 0) return new SmtpReply(250, "2.0.0", $"Ok: feedback recorded as {queueId}");

            var routes = await RouteAsync(routed, ct);
            if (routes.Refusal is { } routeRefusal) return routeRefusal;

            var verdict = mode == SmtpMode.Mx ? await RunInboundChecksAsync(headers, ct) : InboundVerdict.Neutral;
            if (verdict.Refusal is { } refusal) return refusal;
            if ((_toReportAddress || _toTlsReportAddress) && await AcceptReportAsync(routes, ct) is { } reportReply) return reportReply;

            var messageSize = _spool.Length;
            if (await CheckQuotaAsync(routes.Accounts, messageSize, ct) is { } quotaRefusal) return quotaRefusal;
            if (_toPostmaster && !_toTlsReportAddress) await ReadPostmasterTlsReportAsync(headers, ct);

            var authentication = await OutboundAuthenticationAsync(routes, verdict, ct);
            var blob = await WriteMessageFileAsync(verdict, authentication, queueId, now, ct);
            var folder = verdict.Score >= engine.Options.JunkThreshold ? JunkMailbox : MailboxName.Inbox;
            await engine.Writer.CommitAsync(new Delivery(
                blob,
                routes.Accounts.Select(a => DeliveryTarget.Named(a, folder)).ToList(),
                now,
                Envelope(headers),
                Outbound: routes.Remote.Count == 0 ? null : new OutboundMessage(
                    from.Address,
                    routes.Remote,
                    session.Principal?.AccountId,
                    DsnText.Ret(from.Return),
                    from.EnvelopeId),
                Spam: Scored ? new SpamVerdict(verdict.Score, verdict.Reasons) : null), ct);
            engine.Log.Accepted(queueId, session.Remote.Address.ToString(), from.Address, recipients.Count, blob.Size, routes.Accounts.Count, routes.Remote.Count);
            return new SmtpReply(250, "2.0.0", $"Ok: queued as {queueId}");
        }
        catch (StorageException e)
        {
            engine.Log.StoreFailed(e, queueId);
            return new SmtpReply(451, "4.3.0", "Temporary failure storing the message, try again later");
        }
        catch (IOException e)
        {
            engine.Log.StoreFailed(e, queueId);
            return new SmtpReply(451, "4.3.0", "Temporary failure storing the message, try again later");
        }
    }

    /// <summary>Received fields that mark a message as caught in a forwarding loop (RFC 5321 §6.3: count them and refuse at a
    /// large threshold, "normally at least 100"). An alias forwarding to a server that forwards back would otherwise go
    /// round for ever; Postfix refuses at 50 (hopcount_limit).</summary>
    public const int MaxReceivedFields = 100;

    private static SmtpReply? TooManyHops(HeaderList headers)
    {
        var hops = 0;
        foreach (var header in headers)
            if (header.Id == HeaderId.Received && ++hops >= MaxReceivedFields)
                return new SmtpReply(554, "5.4.6", $"Mail forwarding loop: the message has passed {MaxReceivedFields} or more servers (Received fields)");
        return null;
    }

    private HeaderList ReadHeader()
    {
        using var content = _spool.OpenRead();
        return EnvelopeReader.ReadHeaders(content);
    }

    /// <summary>Submission: every From address must belong to the login (RFC 6409 §4.1 lets the MSA enforce this).</summary>
    private async Task<SmtpReply?> CheckFromHeaderAsync(HeaderList headers, CancellationToken ct)
    {
        var principal = session.Principal!;
        var addresses = EnvelopeReader.Addresses(headers, HeaderId.From);
        if (addresses.Count == 0)
            return new SmtpReply(550, "5.6.0", "The message has no valid From header field");
        foreach (var address in addresses)
            if (!await engine.Directory.AccountOwnsAddressAsync(principal.AccountId, address, ct))
                return new SmtpReply(553, "5.7.1", $"From address <{address}> is not owned by {principal.Login}");
        return null;
    }

    private sealed record Routes(List<long> Accounts, List<OutboundRecipient> Remote, SmtpReply? Refusal);

    /// <summary>Local accounts get a copy each (once, even when several recipients lead to one account);
    /// other addresses, and the remote targets of aliases, go to the outbound queue.</summary>
    private async Task<Routes> RouteAsync(IReadOnlyList<ForwardPath> routed, CancellationToken ct)
    {
        var accounts = new List<long>();
        var remote = new List<OutboundRecipient>();
        var seenRemote = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rcpt in routed)
        {
            var resolution = await engine.Directory.ResolveAsync(rcpt.Address, ct);
            switch (resolution.Kind)
            {
                case RecipientResolutionKind.DmarcReports:
                    _toReportAddress = true;
                    break;
                case RecipientResolutionKind.TlsReports:
                    _toTlsReportAddress = true;
                    break;
                case RecipientResolutionKind.Local:
                    if (resolution.RemoteTargets.Count > 0) _forwardedBy ??= rcpt.Domain;
                    if (mode == SmtpMode.Mx && resolution.Address.StartsWith(PostmasterLocalPart, StringComparison.Ordinal)) _toPostmaster = true;
                    foreach (var id in resolution.AccountIds) if (!accounts.Contains(id)) accounts.Add(id);
                    foreach (var target in resolution.RemoteTargets)
                        if (seenRemote.Add(target)) remote.Add(new OutboundRecipient(target, DsnText.Notify(rcpt.Notify), DsnText.Orcpt(rcpt.OriginalRecipient)));
                    break;
                case RecipientResolutionKind.NotLocalDomain when mode == SmtpMode.Submission:
                    if (seenRemote.Add(rcpt.Address)) remote.Add(new OutboundRecipient(rcpt.Address, DsnText.Notify(rcpt.Notify), DsnText.Orcpt(rcpt.OriginalRecipient)));
                    break;
                default:
                    // Accepted at RCPT but gone since (an operator removed the account meanwhile).
                    return new Routes(accounts, remote, new SmtpReply(450, "4.1.1", $"<{rcpt.Address}> changed while the message was sent, try again"));
            }
        }
        return new Routes(accounts, remote, null);
    }

    private async Task<InboundVerdict> RunInboundChecksAsync(HeaderList headers, CancellationToken ct)
    {
        if (engine.InboundChecks.Count == 0) return InboundVerdict.Neutral;
        var fields = new List<string>();
        var reasons = new List<string>();
        var score = 0.0;
        var message = new InboundMessage(session, from, recipients, headers, _spool.OpenRead);
        foreach (var check in engine.InboundChecks)
        {
            var verdict = await check.CheckAsync(message, ct);
            if (verdict.Refusal is not null) return verdict;
            fields.AddRange(verdict.HeaderFields);
            reasons.AddRange(verdict.Reasons);
            score += verdict.Score;
        }
        return new InboundVerdict(fields, score, reasons);
    }

    /// <summary>452 4.2.2 when the account may make room later; 552 5.2.2 when the message can never fit.</summary>
    private async Task<SmtpReply?> CheckQuotaAsync(List<long> accountIds, long size, CancellationToken ct)
    {
        foreach (var id in accountIds)
        {
            var account = await engine.Accounts.GetByIdAsync(id, ct);
            if (account is null || account.HasRoomFor(size)) continue;
            return size > account.QuotaBytes
                ? new SmtpReply(552, "5.2.2", $"The message is larger than the mailbox quota of {account.Address}")
                : new SmtpReply(452, "4.2.2", $"The mailbox of {account.Address} is full, try again later");
        }
        return null;
    }

    /// <summary>Mail to a domain's DMARC or TLS report address goes to that report intake. The reply when nothing else
    /// is to be stored (the report's own reply; a refusal when addressed to both and one of them is not a report),
    /// null when other recipients still get the message.</summary>
    private async Task<SmtpReply?> AcceptReportAsync(Routes routes, CancellationToken ct)
    {
        SmtpReply? reply = null;
        if (_toReportAddress) reply = await engine.ReportIntake.AcceptAsync(_spool.OpenRead(), ct);
        if (_toTlsReportAddress && reply is not { IsPermanentFailure: true }) reply = await engine.TlsReportIntake.AcceptAsync(_spool.OpenRead(), ct);
        return routes.Accounts.Count == 0 && routes.Remote.Count == 0 ? reply : null;
    }

    private const string PostmasterLocalPart = "postmaster@";

    /// <summary>MX: a TLS report sent to postmaster@ (the address the domains' TLS-RPT records named before
    /// tls-reports@, where reporters that cached the old record still send) is read into the report store as well,
    /// and delivered to the postmaster mailbox all the same: a person may read it there. Only mail that is
    /// recognisably a report (RFC 8460 §5.3) is read; one that cannot be read is logged, never refused.</summary>
    private async Task ReadPostmasterTlsReportAsync(HeaderList headers, CancellationToken ct)
    {
        if (!TlsReportMail.IsReport(headers, _spool.OpenRead)) return;
        await engine.TlsReportIntake.AcceptAsync(_spool.OpenRead(), ct);
    }

    /// <summary>For a copy queued for remote delivery: DKIM signatures of submitted mail with the From domain's
    /// keys, or an ARC set when the MX forwards through an alias. Computed over the content alone.</summary>
    private async Task<string> OutboundAuthenticationAsync(Routes routes, InboundVerdict verdict, CancellationToken ct)
    {
        if (routes.Remote.Count == 0) return "";
        var content = await MessageBytes.ReadAllAsync(_spool.OpenRead(), ct);
        if (mode == SmtpMode.Submission) return await engine.Signing.DkimFieldsAsync(content, ct);
        return _forwardedBy is null ? "" : await engine.Signing.ArcFieldsAsync(content, verdict.HeaderFields, _forwardedBy, ct);
    }

    /// <summary>Trace fields, the outbound signatures, the inbound checks' fields and spam score, then the
    /// content, written once and fsync'd.</summary>
    private async Task<BlobRef> WriteMessageFileAsync(InboundVerdict verdict, string authentication, string queueId, DateTimeOffset now, CancellationToken ct)
    {
        await using var writer = engine.Blobs.Create();
        var prefix = new StringBuilder();
        prefix.Append(TraceHeaders.ReturnPath(from));
        prefix.Append(TraceHeaders.Received(session, from, recipients, engine.Options.HostName, queueId, now));
        prefix.Append(authentication);
        foreach (var field in verdict.HeaderFields) prefix.Append(field).Append("\r\n");
        if (Scored)
            prefix.Append(SpamHeader.Field(verdict.Score, engine.Options.JunkThreshold, verdict.Reasons)).Append("\r\n");
        await writer.WriteAsync(Encoding.UTF8.GetBytes(prefix.ToString()), ct);
        await using (var content = _spool.OpenRead())
            await content.CopyToAsync(writer, 64 * 1024, ct);
        return await writer.CommitAsync(ct);
    }

    /// <summary>Mail the MX received went through the inbound checks: its spam score is written into the message
    /// (X-Estafeta-Spam) and stored with it.</summary>
    private bool Scored => mode == SmtpMode.Mx && engine.InboundChecks.Count > 0;

    private static MessageEnvelope Envelope(HeaderList h) => EnvelopeReader.Envelope(h);

    public ValueTask DisposeAsync() => _spool.DisposeAsync();
}
