using Estafeta.Imap.Mime;
using Estafeta.Imap.Store;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Imap.Session;

/// <summary>What every session of one server shares.</summary>
internal sealed record ServerServices(
    ImapServerOptions Options,
    IImapBackend Backend,
    LoginThrottle Throttle,
    ILogger Log,
    TimeProvider Clock,
    StructureCache Cache,
    AccountSessions Sessions);
