using System.Net;
using Estafeta.Net;
using Estafeta.Testing;

namespace Estafeta.Pop3.Tests.Support;

/// <summary>A <see cref="Pop3Server"/> behind a real <see cref="ConnectionListener"/> on 127.0.0.1 with a
/// free port, over an in-memory <see cref="FakeBackend"/>.</summary>
public sealed class Pop3Harness : IAsyncDisposable
{
    private readonly ConnectionListener _listener;

    /// <summary>Sessions that crashed; disposing the harness fails the test when there is one.</summary>
    private readonly ListenerCrashLog _listenerLog = new();
    private readonly bool _implicitTls;

    private Pop3Harness(Pop3ServerOptions options, ListenerOptions listener, TimeProvider clock, LoginThrottle throttle)
    {
        _implicitTls = listener.ImplicitTls;
        Options = options;
        Throttle = throttle;
        var server = new Pop3Server(options, Backend, throttle, Log, clock);
        _listener = new ConnectionListener(listener, server, TestCertificate.Get, _listenerLog);
        _listener.Start();
    }

    public FakeBackend Backend { get; } = new();
    public ListLogger<Pop3Server> Log { get; } = new();
    public Pop3ServerOptions Options { get; }
    public LoginThrottle Throttle { get; }
    public IPEndPoint EndPoint => _listener.BoundEndPoint;

    public static Pop3ServerOptions DefaultOptions { get; } = new()
    {
        HostName = "pop.example.test",
        Certificate = TestCertificate.Get,
        AllowPlaintextAuth = true,
    };

    /// <summary>Starts a server. Plaintext login is allowed unless the options say otherwise; failed
    /// logins are answered at once unless a throttle is given.</summary>
    public static Pop3Harness Start(
        Func<Pop3ServerOptions, Pop3ServerOptions>? configure = null,
        bool implicitTls = false,
        TimeProvider? clock = null,
        LoginThrottle? throttle = null,
        int maxConnectionsPerAddress = 50)
    {
        var options = configure?.Invoke(DefaultOptions) ?? DefaultOptions;
        clock ??= TimeProvider.System;
        throttle ??= new LoginThrottle(clock, firstDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero);
        var listener = new ListenerOptions("pop3", new IPEndPoint(IPAddress.Loopback, 0), implicitTls, MaxConnectionsPerAddress: maxConnectionsPerAddress);
        return new Pop3Harness(options, listener, clock, throttle);
    }

    public Task<Pop3TestClient> ConnectAsync() => Pop3TestClient.ConnectAsync(EndPoint, _implicitTls);

    /// <summary>Connects and logs in with USER/PASS.</summary>
    public async Task<Pop3TestClient> LoginAsync(string user = "alice", string password = "secret")
    {
        var client = await ConnectAsync();
        await client.LoginAsync(user, password);
        return client;
    }

    public Task StopAsync(TimeSpan grace) => _listener.StopAsync(grace);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _listenerLog.AssertNoCrash();
    }
}
