using System.IO.Pipelines;
using System.Net;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Mime;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Store;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Imap.Session;

/// <summary>The session's surroundings and the settings the client changed (ENABLE, TLS). Commands read it;
/// the session state proper (login, selected mailbox) is the <see cref="SessionState"/> record.</summary>
internal sealed class SessionContext
{
    private readonly Connection _connection;

    public SessionContext(ServerServices services, Connection connection)
    {
        Services = services;
        _connection = connection;
        Remote = connection.RemoteEndPoint;
        IsSecure = connection.IsSecure;
        Writer = new ResponseWriter(connection.Output);
        Limits = new CommandLimits(services.Options.MaxLineLength, services.Options.MaxCommandSize, services.Options.MaxMessageSize);
    }

    public ServerServices Services { get; }
    public ImapServerOptions Options => Services.Options;
    public IImapBackend Backend => Services.Backend;
    public LoginThrottle Throttle => Services.Throttle;
    public ILogger Log => Services.Log;
    public TimeProvider Clock => Services.Clock;
    public StructureCache Cache => Services.Cache;
    public CommandLimits Limits { get; }

    public IPEndPoint Remote { get; }
    public bool IsSecure { get; private set; }
    public ResponseWriter Writer { get; }
    public PipeReader Input => _connection.Input;

    /// <summary>Fires when the server begins a graceful stop.</summary>
    public CancellationToken Stopping => _connection.Shutdown.Stopping;

    /// <summary>Client identification sent with ID (RFC 2971), for the log.</summary>
    public string? ClientName { get; set; }

    public bool Utf8Accept { get; private set; }
    public bool Rev2 { get; private set; }
    public bool QResync { get; private set; }

    /// <summary>Set by any CONDSTORE-enabling command (RFC 7162 §3.1): from then on FETCH responses carry MODSEQ.</summary>
    public bool CondStore { get; set; }

    /// <summary>Mailbox names and quoted strings are UTF-8 on the wire.</summary>
    public bool Utf8Names => Utf8Accept || Rev2;

    public bool PlaintextAuthAllowed => IsSecure || Options.AllowPlaintextAuth;

    public bool CanStartTls => !IsSecure && Options.Certificate is not null;

    /// <summary>Turns on an extension named in ENABLE; returns the name when it was newly enabled.</summary>
    public string? Enable(string name)
    {
        switch (name.ToUpperInvariant())
        {
            case "UTF8=ACCEPT" when !Utf8Accept:
                Utf8Accept = true;
                Writer.Utf8 = true;
                return "UTF8=ACCEPT";
            case "IMAP4REV2" when !Rev2:
                Rev2 = true;
                Writer.Utf8 = true;
                return "IMAP4rev2";
            case "CONDSTORE" when !CondStore:
                CondStore = true;
                return "CONDSTORE";
            case "QRESYNC" when !QResync:
                QResync = true;
                CondStore = true;
                return "QRESYNC";
            default:
                return null;
        }
    }

    public void TlsStarted()
    {
        IsSecure = true;
        Writer.Attach(_connection.Output);
    }

    public string MailboxToWire(string name) => MailboxNames.ToWire(name, Utf8Names);
}
