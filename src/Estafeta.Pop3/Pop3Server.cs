using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Pop3;

/// <summary>
/// The POP3 server engine (RFC 1939, with CAPA of RFC 2449, STLS of RFC 2595, SASL PLAIN of RFC 5034
/// and the response codes of RFC 3206). Give it to a <see cref="ConnectionListener"/>: plain port with
/// STLS, or implicit TLS (RFC 8314) through <see cref="ListenerOptions.ImplicitTls"/>.
/// </summary>
public sealed class Pop3Server : IConnectionHandler
{
    private readonly Pop3ServerOptions _options;
    private readonly IPop3Backend _backend;
    private readonly LoginThrottle _throttle;
    private readonly ILogger _log;
    private readonly TimeProvider _clock;

    public Pop3Server(Pop3ServerOptions options, IPop3Backend backend, LoginThrottle throttle, ILogger<Pop3Server> log, TimeProvider? clock = null)
    {
        options.Validate();
        _options = options;
        _backend = backend;
        _throttle = throttle;
        _log = log;
        _clock = clock ?? TimeProvider.System;
    }

    public ReadOnlyMemory<byte> TooManyConnectionsReply { get; } = "-ERR [SYS/TEMP] Too many connections; try again later\r\n"u8.ToArray();

    public Task HandleAsync(Connection connection, CancellationToken aborted)
    {
        var context = new SessionContext(_options, _backend, _throttle, _clock, _log, connection.RemoteEndPoint, connection.IsSecure);
        return new Pop3Session(connection, context).RunAsync(aborted);
    }
}
