using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Estafeta.Net;

public sealed record ListenerOptions(
    string Name,
    IPEndPoint EndPoint,
    bool ImplicitTls = false,
    int MaxConnections = 10_000,
    int MaxConnectionsPerAddress = 50,
    TimeSpan? TlsHandshakeTimeout = null);

/// <summary>
/// Accepts TCP connections on one endpoint and runs a session per connection. Port 0 binds a free
/// port (see <see cref="BoundEndPoint"/>). Stopping is graceful: no new connections, sessions are
/// told to finish, and after the grace period whatever remains is aborted.
/// </summary>
public sealed partial class ConnectionListener : IAsyncDisposable
{
    private readonly ListenerOptions _options;
    private readonly IConnectionHandler _handler;
    private readonly Func<X509Certificate2>? _certificate;
    private readonly ILogger _log;
    private readonly Socket _socket;
    private readonly ListenerShutdown _shutdown = new();
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly ConcurrentDictionary<IPAddress, int> _perAddress = new();
    private int _connections;
    private Task? _acceptLoop;

    public ConnectionListener(ListenerOptions options, IConnectionHandler handler, Func<X509Certificate2>? certificate, ILogger log)
    {
        if (options.ImplicitTls && certificate is null)
            throw new ArgumentException($"Listener '{options.Name}' uses implicit TLS but has no certificate.", nameof(certificate));
        _options = options;
        _handler = handler;
        _certificate = certificate;
        _log = log;
        _socket = new Socket(options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && options.EndPoint.Address.Equals(IPAddress.IPv6Any))
            _socket.DualMode = true;
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.NoDelay = true;
    }

    public string Name => _options.Name;
    public IPEndPoint BoundEndPoint => (IPEndPoint)_socket.LocalEndPoint!;
    public int ActiveConnections => Volatile.Read(ref _connections);

    public void Start()
    {
        try
        {
            _socket.Bind(_options.EndPoint);
            _socket.Listen(1024);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"Cannot listen for {_options.Name} on {_options.EndPoint}: {e.Message}. Choose another address with --{_options.Name} host:port (port 0 picks a free one).", e);
        }
        LogListening(_log, _options.Name, BoundEndPoint);
        _acceptLoop = AcceptLoopAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shutdown.Stopping.IsCancellationRequested)
        {
            Socket client;
            try { client = await _socket.AcceptAsync(_shutdown.Stopping).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e) { LogAcceptFailed(_log, _options.Name, e.Message); continue; }

            client.NoDelay = true;
            var task = RunAsync(client);
            _sessions.TryAdd(task, 0);
            _ = task.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task RunAsync(Socket client)
    {
        var address = ((IPEndPoint)client.RemoteEndPoint!).Address;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var perAddress = _perAddress.AddOrUpdate(address, 1, (_, n) => n + 1);
        var total = Interlocked.Increment(ref _connections);
        await using var connection = new Connection(client, _shutdown);
        try
        {
            if (perAddress > _options.MaxConnectionsPerAddress || total > _options.MaxConnections)
            {
                LogTooMany(_log, _options.Name, address);
                if (!_options.ImplicitTls)
                    await connection.Output.WriteAsync(_handler.TooManyConnectionsReply).ConfigureAwait(false);
                return;
            }
            if (_options.ImplicitTls)
                await connection.UpgradeToTlsAsync(_certificate!(), _options.TlsHandshakeTimeout ?? TimeSpan.FromSeconds(30), _shutdown.Aborted).ConfigureAwait(false);
            await _handler.HandleAsync(connection, _shutdown.Aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            LogConnectionEnded(_log, _options.Name, connection.RemoteEndPoint, e.GetType().Name, e.Message);
        }
        catch (Exception e)
        {
            LogSessionCrashed(_log, e, _options.Name, connection.RemoteEndPoint);
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            if (_perAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
                _perAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
        }
    }

    /// <summary>Stops accepting, asks sessions to finish, and aborts what is left after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _shutdown.BeginStopping();
        try { _socket.Close(); } catch (SocketException) { }
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var all = Task.WhenAll(_sessions.Keys);
        using var timers = new CancellationTokenSource();
        if (await Task.WhenAny(all, Task.Delay(grace, timers.Token)).ConfigureAwait(false) != all)
        {
            _shutdown.Abort();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), timers.Token)).ConfigureAwait(false);
        }
        await timers.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        // Sessions still running after the abort keep reading the shutdown tokens: dispose only when none are left.
        if (_sessions.IsEmpty) _shutdown.Dispose();
        _socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} listening on {EndPoint}")]
    private static partial void LogListening(ILogger log, string name, IPEndPoint endPoint);
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger log, string name, string reason);
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: refused {Address}: too many connections")]
    private static partial void LogTooMany(ILogger log, string name, IPAddress address);
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name}: connection from {Remote} ended: {Kind}: {Reason}")]
    private static partial void LogConnectionEnded(ILogger log, string name, IPEndPoint remote, string kind, string reason);
    [LoggerMessage(Level = LogLevel.Error, Message = "{Name}: session with {Remote} failed")]
    private static partial void LogSessionCrashed(ILogger log, Exception e, string name, IPEndPoint remote);
}
