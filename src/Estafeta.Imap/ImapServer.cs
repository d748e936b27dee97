using Estafeta.Imap.Mime;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Imap;

/// <summary>
/// The IMAP server engine: IMAP4rev2 (RFC 9051) and IMAP4rev1 (RFC 3501) with the extensions listed in
/// <see cref="Capabilities"/>. Give it to a <see cref="ConnectionListener"/>: a plain port with STARTTLS, or
/// implicit TLS (RFC 8314) through <see cref="ListenerOptions.ImplicitTls"/>. It knows nothing about storage:
/// <paramref name="backend"/> checks logins and opens each user's <see cref="IImapStore"/>.
/// </summary>
public sealed class ImapServer : IConnectionHandler
{
    private readonly ServerServices _services;

    public ImapServer(ImapServerOptions options, IImapBackend backend, LoginThrottle throttle, ILogger<ImapServer> log, TimeProvider? clock = null)
    {
        options.Validate();
        _services = new ServerServices(options, backend, throttle, log, clock ?? TimeProvider.System,
            new StructureCache(options.StructureCacheSize), new AccountSessions(options.MaxSessionsPerAccount));
    }

    public ReadOnlyMemory<byte> TooManyConnectionsReply { get; } = "* BYE [UNAVAILABLE] Too many connections; try again later\r\n"u8.ToArray();

    /// <summary>Sessions open right now per account id.</summary>
    public int SessionsOf(long accountId) => _services.Sessions.Count(accountId);

    public Task HandleAsync(Connection connection, CancellationToken aborted) =>
        new ImapSession(connection, new SessionContext(_services, connection)).RunAsync(aborted);
}
