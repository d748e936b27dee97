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
    public MailEngine(Database db, MailEngineOptions options, TimeProvider clock, ILoggerFactory logging, IReadOnlyList<IInboundCheck>? inboundChecks = null)
    {
        Database = db;
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

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
