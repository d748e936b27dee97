using Estafeta.Mail.Outbound;
using Estafeta.Smtp;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Feedback;

/// <summary>
/// The MX's first step for bounces and complaints. Mail to a VERP address of ours (<c>bounce+token@domain</c>, valid
/// signature) is a bounce or complaint about one recipient of one message: it is parsed (RFC 3464 DSN, a provider's
/// own format, or an ARF report) and recorded as an event, not stored. Mail to a local domain's feedback addresses
/// (abuse@, fbl@, feedback@, arf@) is read for ARF reports, recorded as complaints, and still delivered when the
/// address exists. Everything else goes on to normal recipient resolution.
/// </summary>
public sealed class FeedbackReceiver(MailEngine engine)
{
    public static readonly IReadOnlyList<string> FeedbackLocalParts = ["abuse", "fbl", "feedback", "arf"];
    private readonly Lazy<Verp> _verp = new(() => Verp.LoadOrCreate(engine.Database.DataDirectory));
    private readonly OutboundEventStore _events = new(engine.Database);

    public Verp Verp => _verp.Value;

    /// <summary>True for a VERP address with a valid signature.</summary>
    public bool IsVerp(string address) => Verp.LooksLikeVerp(address) && Verp.TryRead(address, out _);

    /// <summary>True for abuse@, fbl@, feedback@ or arf@ of a local domain.</summary>
    public async Task<bool> IsFeedbackAddressAsync(string address, CancellationToken ct)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || !FeedbackLocalParts.Contains(address[..at].ToLowerInvariant())) return false;
        return (await engine.Directory.ResolveAsync(address, ct)).Kind != RecipientResolutionKind.NotLocalDomain;
    }

    /// <summary>
    /// Records what the message says for its VERP and feedback recipients and returns the recipients left for normal
    /// delivery (feedback addresses that exist locally stay; VERP addresses and unknown feedback addresses do not).
    /// </summary>
    public async Task<IReadOnlyList<ForwardPath>> ReceiveAsync(IReadOnlyList<ForwardPath> recipients, Func<Stream> open, CancellationToken ct)
    {
        var verp = new List<VerpToken>();
        var feedback = false;
        var rest = new List<ForwardPath>();
        foreach (var r in recipients)
        {
            if (Verp.LooksLikeVerp(r.Address) && Verp.TryRead(r.Address, out var token)) { verp.Add(token); continue; }
            if (await IsFeedbackAddressAsync(r.Address, ct))
            {
                feedback = true;
                if ((await engine.Directory.ResolveAsync(r.Address, ct)).Kind == RecipientResolutionKind.Local) rest.Add(r);
                continue;
            }
            rest.Add(r);
        }
        if (verp.Count == 0 && !feedback) return recipients;

        MimeMessage message;
        await using (var content = open())
        {
            try { message = await MimeMessage.LoadAsync(content, ct); }
            catch (FormatException) { return rest; }
        }
        var complaint = ComplaintParser.Parse(message);
        foreach (var token in verp) await RecordVerpAsync(token, message, complaint, ct);
        if (feedback && verp.Count == 0 && complaint is not null) await RecordComplaintAsync(complaint, ct);
        return rest;
    }

    private async Task RecordVerpAsync(VerpToken token, MimeMessage message, Complaint? complaint, CancellationToken ct)
    {
        var sent = await SentAsync(token, ct);
        var now = engine.Clock.GetUtcNow();
        if (complaint is not null)
        {
            var address = sent?.Address ?? complaint.OriginalRcptTo ?? "";
            await _events.RecordAsync(new OutboundEvent(now, OutboundEventKind.Complained, address, sent?.Sender ?? "", sent?.Destination ?? DomainOf(address), "arf",
                null, token.QueueId, token.QueuedAt, token.RecipientId, sent?.MessageId, null, $"feedback-type={complaint.FeedbackType}" + (complaint.UserAgent is { } ua ? $"; {ua}" : "")), ct);
            return;
        }

        var report = BounceParser.Parse(message);
        if (report is null || report.Recipients.Count == 0) return;
        // One VERP address is one recipient: take the block that names it, else the first.
        var block = report.Recipients.FirstOrDefault(b => sent is not null && string.Equals(b.Address, sent.Address, StringComparison.OrdinalIgnoreCase)) ?? report.Recipients[0];
        var kind = block.Action switch
        {
            "failed" => OutboundEventKind.Bounced,
            "delayed" => OutboundEventKind.Deferred,
            "delivered" or "relayed" or "expanded" => OutboundEventKind.Delivered,
            _ => OutboundEventKind.Bounced,
        };
        var recipient = sent?.Address ?? block.Address ?? "";
        await _events.RecordAsync(new OutboundEvent(now, kind, recipient, sent?.Sender ?? "", sent?.Destination ?? DomainOf(recipient), report.Standard ? "dsn" : "bounce",
            kind == OutboundEventKind.Delivered ? null : block.Class.Name(), token.QueueId, token.QueuedAt, token.RecipientId, sent?.MessageId, block.Status, block.Diagnostic), ct);
    }

    /// <summary>A complaint that came to abuse@/fbl@: mapped to the message through the VERP Return-Path of the
    /// original when present, else through its Message-ID.</summary>
    private async Task RecordComplaintAsync(Complaint complaint, CancellationToken ct)
    {
        foreach (var path in new[] { complaint.OriginalReturnPath, complaint.OriginalMailFrom })
        {
            if (path is not null && Verp.LooksLikeVerp(path) && Verp.TryRead(path, out var token))
            {
                await RecordVerpAsync(token, new MimeMessage(), complaint, ct);
                return;
            }
        }

        var address = complaint.OriginalRcptTo ?? complaint.OriginalTo.FirstOrDefault();
        var sent = complaint.OriginalMessageId is { } id ? await _events.FindByMessageIdAsync(id, address, ct) : null;
        address = sent?.Address ?? address ?? "";
        await _events.RecordAsync(new OutboundEvent(engine.Clock.GetUtcNow(), OutboundEventKind.Complained, address, sent?.Sender ?? complaint.OriginalMailFrom ?? "",
            sent?.Destination ?? DomainOf(address), "arf", null, sent?.QueueId, sent?.QueuedAt, sent?.RecipientId, complaint.OriginalMessageId,
            null, $"feedback-type={complaint.FeedbackType}" + (complaint.UserAgent is { } ua ? $"; {ua}" : "")), ct);
    }

    private async Task<OutboundEvent?> SentAsync(VerpToken token, CancellationToken ct)
    {
        var sent = await _events.FindSentAsync(token.QueueId, token.QueuedAt, token.RecipientId, ct);
        if (sent is not null) return sent;
        var queued = await new OutboundQueueStore(engine.Database).GetAsync(token.QueueId, ct);
        if (queued is null || queued.CreatedAt != token.QueuedAt) return null;
        var r = queued.Recipients.FirstOrDefault(x => x.Id == token.RecipientId);
        return r is null ? null : new OutboundEvent(queued.CreatedAt, OutboundEventKind.Deferred, r.Address, queued.EnvelopeSender, DomainOf(r.Address), "queue");
    }

    private static string DomainOf(string address) => address.Contains('@') ? address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant() : "";
}
