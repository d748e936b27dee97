using Estafeta.Mail.Authentication;
using Estafeta.MailAuth.Dns;
using Estafeta.Mail.Inbound;
using Estafeta.Mail.Pop3;
using Estafeta.Mail.Smtp;
using Estafeta.Pop3;
using Estafeta.Smtp;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail;

/// <summary>
/// The mail engine: implements what the protocol servers ask for (SMTP policy and message sink,
/// POP3 maildrops) over storage. One per process; owns the group-commit delivery writer.
/// </summary>
public sealed class MailEngine : IAsyncDisposable
{
    public MailEngine(Database db, MailEngineOptions options, TimeProvider clock, ILoggerFactory logging, IDnsResolver dns, IReadOnlyList<IInboundCheck>? inboundChecks = null)
    {
        Database = db;
        Dns = dns;
        Options = options;
        Clock = clock;
        Log = new MailLog(logging.CreateLogger<MailEngine>());
        Blobs = new BlobStore(db.DataDirectory);
        Accounts = new AccountStore(db);
        Directory = new RecipientDirectory(db);
        Mail = new MailStore(db, Blobs);
        Writer = new DeliveryWriter(db);
        InboundChecks = inboundChecks ?? [];
        Signing = new OutboundSigning(new DkimKeyStore(db, clock), dns, options.HostName, clock);
        ReportIntake = new DmarcReportIntake(db, logging.CreateLogger("Estafeta.Mail.Authentication"));
        TlsReportIntake = new TlsReportIntake(db, logging.CreateLogger("Estafeta.Mail.Authentication"));
        Pop3Backend = new Pop3Backend(Accounts, Mail);
    }

    public Database Database { get; }
    /// <summary>The one resolver of the process (cached; --dns points it at a given server).</summary>
    public IDnsResolver Dns { get; }
    public MailEngineOptions Options { get; }
    public TimeProvider Clock { get; }
    public BlobStore Blobs { get; }
    public AccountStore Accounts { get; }
    public RecipientDirectory Directory { get; }
    public MailStore Mail { get; }
    public DeliveryWriter Writer { get; }
    /// <summary>The inbound pipeline's checks, run in order on every message the MX receives.</summary>
    public IReadOnlyList<IInboundCheck> InboundChecks { get; }
    /// <summary>DKIM signing (and ARC sealing of forwarded mail) of every message queued for remote delivery.</summary>
    public OutboundSigning Signing { get; }
    /// <summary>Reads the mail that arrives at the domains' DMARC report addresses.</summary>
    public DmarcReportIntake ReportIntake { get; }
    /// <summary>Reads the mail that arrives at the domains' TLS report addresses.</summary>
    public TlsReportIntake TlsReportIntake { get; }
    public IPop3Backend Pop3Backend { get; }
    /// <summary>IMAP logins and each user's mailboxes over the mail store.</summary>
    public Estafeta.Imap.Store.IImapBackend ImapBackend => field ??= new Imap.ImapBackend(Database, Accounts, Mail, Writer, Blobs, Clock);
    internal MailLog Log { get; }

    /// <summary>The audience's unsubscribe addresses at the MX (set by the host); null: none.</summary>
    public IUnsubscribeMailbox? Unsubscribe { get; set; }

    public ISmtpPolicy SmtpPolicy(SmtpMode mode) => mode == SmtpMode.Mx
        ? new UnsubscribePolicy(new Feedback.FeedbackPolicy(new SmtpPolicy(mode, Accounts, Directory), Feedback), this)
        : new SmtpPolicy(mode, Accounts, Directory);

    /// <summary>Bounces and complaints coming back to VERP and feedback addresses (see <see cref="Feedback.FeedbackReceiver"/>).</summary>
    public Feedback.FeedbackReceiver Feedback => _feedback ??= new Feedback.FeedbackReceiver(this);
    private Feedback.FeedbackReceiver? _feedback;
    public IMessageSink MessageSink(SmtpMode mode) => new MessageSink(mode, this);

    /// <summary>
    /// Sends a message the platform made itself. The message file is written once (a Received field for
    /// the local submission, then the content), local recipients (accounts, aliases, catch-all) get a copy
    /// in INBOX, and every other recipient is written into the outbound queue, all in one durable commit.
    /// Unknown users of local domains are returned as refused rather than queued; when every recipient is refused
    /// nothing is written.
    /// </summary>
    public async Task<SubmissionReceipt> SubmitAsync(LocalSubmission message, CancellationToken ct = default)
    {
        var now = Clock.GetUtcNow();
        var queueId = QueueId.New(now);
        var accounts = new List<long>();
        var remote = new List<OutboundRecipient>();
        var refused = new List<string>();
        var reportCopy = false;
        var tlsReportCopy = false;
        foreach (var rcpt in message.Recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var resolution = await Directory.ResolveAsync(rcpt, ct);
            switch (resolution.Kind)
            {
                case RecipientResolutionKind.Local:
                    accounts.AddRange(resolution.AccountIds.Where(id => !accounts.Contains(id)));
                    remote.AddRange(resolution.RemoteTargets.Select(t => new OutboundRecipient(t)));
                    break;
                case RecipientResolutionKind.NotLocalDomain:
                    remote.Add(new OutboundRecipient(rcpt));
                    break;
                case RecipientResolutionKind.DmarcReports:
                    reportCopy = true;
                    break;
                case RecipientResolutionKind.TlsReports:
                    tlsReportCopy = true;
                    break;
                default:
                    refused.Add(rcpt);
                    break;
            }
        }

        if (reportCopy) await ReportIntake.AcceptAsync(new MemoryStream(message.Content.ToArray(), writable: false), ct);
        if (tlsReportCopy) await TlsReportIntake.AcceptAsync(new MemoryStream(message.Content.ToArray(), writable: false), ct);
        // Nothing left to deliver (every recipient refused, or only report addresses): no message file, no delivery.
        if (accounts.Count == 0 && remote.Count == 0) return new SubmissionReceipt(queueId, "", 0, null, refused);

        var received = $"Received: by {Options.HostName} (Estafeta) with local id {queueId};\r\n\t{now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture)}\r\n";
        await using var writer = Blobs.Create();
        if (accounts.Count > 0) await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"Return-Path: <{message.EnvelopeSender}>\r\n"), ct);
        await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(received), ct);
        if (remote.Count > 0) await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(await Signing.DkimFieldsAsync(message.Content, ct)), ct);
        await writer.WriteAsync(message.Content, ct);
        var blob = await writer.CommitAsync(ct);

        using var content = new MemoryStream(message.Content.ToArray(), writable: false);
        var headers = EnvelopeReader.ReadHeaders(content);
        var receipt = await Writer.CommitAsync(new Delivery(
            blob,
            accounts.Select(DeliveryTarget.Inbox).ToList(),
            now,
            EnvelopeReader.Envelope(headers),
            Outbound: remote.Count == 0 ? null : new OutboundMessage(message.EnvelopeSender, remote, message.AccountId, message.DsnRet, message.DsnEnvId,
                // Platform mail (no submitting account, a real sender) gets VERP so that its bounces map back to a recipient.
                Verp: message.AccountId is null && message.EnvelopeSender.Contains('@'))), ct);
        return new SubmissionReceipt(queueId, blob.Hash, receipt.Copies.Count, receipt.QueueId, refused);
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
