using System.Text;
using Estafeta.Net;
using Estafeta.Smtp.Session;
using Microsoft.Extensions.Logging;

namespace Estafeta.Smtp;

/// <summary>
/// The SMTP server engine (RFC 5321 with PIPELINING, SIZE, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, DSN,
/// STARTTLS and AUTH PLAIN/LOGIN): one instance per listener, one session per connection. It knows
/// nothing about storage: <see cref="ISmtpPolicy"/> decides, <see cref="IMessageSink"/> stores.
/// </summary>
public sealed class SmtpServer : IConnectionHandler
{
    public SmtpServer(SmtpServerOptions options, ISmtpPolicy policy, IMessageSink sink, LoginThrottle throttle, ILogger<SmtpServer> log, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(throttle);
        ArgumentNullException.ThrowIfNull(log);
        Options = options;
        Policy = policy;
        Sink = sink;
        Throttle = throttle;
        Log = log;
        Clock = clock ?? TimeProvider.System;
        TooManyConnectionsReply = Encoding.ASCII.GetBytes($"421 4.7.0 {options.HostName} Too many connections, try again later\r\n");
    }

    public SmtpServerOptions Options { get; }
    internal ISmtpPolicy Policy { get; }
    internal IMessageSink Sink { get; }
    internal LoginThrottle Throttle { get; }
    internal ILogger Log { get; }
    internal TimeProvider Clock { get; }

    public ReadOnlyMemory<byte> TooManyConnectionsReply { get; }

    public Task HandleAsync(Connection connection, CancellationToken aborted) =>
        new SmtpSession(this, connection).RunAsync(aborted);
}
