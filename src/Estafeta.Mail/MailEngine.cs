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
    public IPop3Backend Pop3Backend { get; }
    internal MailLog Log { get; }

    public ISmtpPolicy SmtpPolicy(SmtpMode mode) => new SmtpPolicy(mode, Accounts, Directory);
    public IMessageSink MessageSink(SmtpMode mode) => new MessageSink(mode, this);

    /// <summary>
    /// Sends a message the platform made itself. The message file is written once (a Received field for
    /// the local submission, then the content), local recipients (accounts, aliases, catch-all) get a copy
    /// in INBOX, and every other recipient is written into the outbound queue, all in one durable commit.
    /// Unknown users of local domains are returned as refused rather than queued.
    /// </summary>
    public async Task<SubmissionReceipt> SubmitAsync(LocalSubmission message, CancellationToken ct = default)
    {
        var now = Clock.GetUtcNow();
        var queueId = QueueId.New(now);
        var accounts = new List<long>();
        var remote = new List<OutboundRecipient>();
        var refused = new List<string>();
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
                default:
                    refused.Add(rcpt);
                    break;
            }
        }

        var received = $"Received: by {Options.HostName} (Estafeta) with local id {queueId};\r\n\t{now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture)}\r\n";
        await using var writer = Blobs.Create();
        if (accounts.Count > 0) await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"Return-Path: <{message.EnvelopeSender}>\r\n"), ct);
        await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(received), ct);
        await writer.WriteAsync(message.Content, ct);
        var blob = await writer.CommitAsync(ct);

        using var content = new MemoryStream(message.Content.ToArray(), writable: false);
        var headers = EnvelopeReader.ReadHeaders(content);
        var receipt = await Writer.CommitAsync(new Delivery(
            blob,
            accounts.Select(DeliveryTarget.Inbox).ToList(),
            now,
            EnvelopeReader.Envelope(headers),
            Outbound: remote.Count == 0 ? null : new OutboundMessage(message.EnvelopeSender, remote, message.AccountId, message.DsnRet, message.DsnEnvId)), ct);
        return new SubmissionReceipt(queueId, blob.Hash, receipt.Copies.Count, receipt.QueueId, refused);
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
