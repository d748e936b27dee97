using System.Collections.Concurrent;
using System.Net;
using Estafeta.Net;
using Estafeta.Smtp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>A real listener for the session fuzz tests: the engine over <see cref="RelayPolicy"/> and
/// <see cref="FakeSink"/>, with every log line of the engine and of the listener kept (a session that
/// crashes is only logged by the listener), and a login throttle that never blocks nor delays.</summary>
internal sealed class FuzzServer : IAsyncDisposable
{
    public const string User = "alice@example.test";
    public const string Password = "s3cret-pässword";

    private readonly ConnectionListener _listener;

    public FuzzServer(SmtpServerOptions options)
    {
        Options = options;
        var throttle = new LoginThrottle(TimeProvider.System, maxFailures: int.MaxValue, firstDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero);
        var server = new SmtpServer(options, Policy, Sink, throttle, new FuzzLog<SmtpServer>(Log));
        _listener = new ConnectionListener(new ListenerOptions("smtp", new IPEndPoint(IPAddress.Loopback, 0)), server, null, new FuzzLog<ConnectionListener>(Log));
        _listener.Start();
    }

    public SmtpServerOptions Options { get; }
    public RelayPolicy Policy { get; } = new();
    public FakeSink Sink { get; } = new();
    public ConcurrentQueue<(LogLevel Level, string Line, Exception? Exception)> Log { get; } = new();

    public async Task<RawClient> ConnectAsync() => await RawClient.ConnectAsync(_listener.BoundEndPoint);

    /// <summary>Lines logged at Error or above, or with an exception.</summary>
    public IEnumerable<string> Problems() =>
        Log.Where(l => l.Level >= LogLevel.Error || l.Exception is not null).Select(l => $"{l.Level}: {l.Line} {l.Exception}");

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private sealed class FuzzLog<T>(ConcurrentQueue<(LogLevel, string, Exception?)> lines) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        // Debug stays off: the transcript of thousands of commands would only cost time.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lines.Enqueue((logLevel, formatter(state, exception), exception));
        }
    }
}

/// <summary>
/// A policy as an MX has it: only example.test (in any case) is local; a client that is not logged in
/// gets 550 5.7.1 for any other recipient. Local recipients whose local part starts with "unknown" get
/// 550 5.1.1, "busy" 421 4.7.0; senders whose local part is "blocked" 550. Logins: <see cref="FuzzServer.User"/>.
/// </summary>
internal sealed class RelayPolicy : ISmtpPolicy
{
    public const string LocalDomain = "example.test";

    public ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct) =>
        ValueTask.FromResult(login == FuzzServer.User && password == FuzzServer.Password ? new SmtpPrincipal(7, login) : null);

    public ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct) =>
        ValueTask.FromResult(from.Address.StartsWith("blocked@", StringComparison.Ordinal)
            ? new SmtpReply(550, "5.7.1", $"<{from.Address}>: Sender blocked")
            : SmtpReplies.SenderOk);

    public ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct)
    {
        if (session.Principal is null && !IsLocal(to.Address)) return ValueTask.FromResult(SmtpReplies.RelayDenied(to.Address));
        if (to.Address.StartsWith("unknown", StringComparison.OrdinalIgnoreCase)) return ValueTask.FromResult(SmtpReplies.UnknownUser(to.Address));
        if (to.Address.StartsWith("busy", StringComparison.OrdinalIgnoreCase)) return ValueTask.FromResult(new SmtpReply(421, "4.7.0", "Too busy, closing connection"));
        return ValueTask.FromResult(SmtpReplies.RecipientOk);
    }

    /// <summary>Postmaster without a domain is ours (RFC 5321 §4.1.1.3); otherwise the domain after the last "@".</summary>
    public static bool IsLocal(string address) =>
        address.Equals("postmaster", StringComparison.OrdinalIgnoreCase)
        || string.Equals(MailboxParts.Domain(address), LocalDomain, StringComparison.OrdinalIgnoreCase);
}
