using System.Net;
using Estafeta.Net;
using Estafeta.Testing;

namespace Estafeta.Imap.Tests.Support;

/// <summary>An <see cref="ImapServer"/> behind a real <see cref="ConnectionListener"/> on 127.0.0.1 with a free port,
/// over the in-memory store, with the account alice/secret.</summary>
public sealed class ImapHarness : IAsyncDisposable
{
    private readonly ConnectionListener _listener;

    /// <summary>Sessions that crashed; disposing the harness fails the test when there is one.</summary>
    private readonly ListenerCrashLog _listenerLog = new();
    private readonly bool _implicitTls;

    private ImapHarness(ImapServerOptions options, ListenerOptions listener, TimeProvider clock, LoginThrottle throttle)
    {
        _implicitTls = listener.ImplicitTls;
        Options = options;
        Alice = Backend.AddAccount("alice", "secret");
        Server = new ImapServer(options, Backend, throttle, Log, clock);
        _listener = new ConnectionListener(listener, Server, TestCertificate.Get, _listenerLog);
        _listener.Start();
    }

    public InMemoryBackend Backend { get; } = new();
    public InMemoryAccount Alice { get; }
    public ImapServer Server { get; }
    public ListLogger<ImapServer> Log { get; } = new();
    public ImapServerOptions Options { get; }
    public IPEndPoint EndPoint => _listener.BoundEndPoint;

    public static ImapServerOptions DefaultOptions { get; } = new()
    {
        HostName = "imap.example.test",
        Certificate = TestCertificate.Get,
        AllowPlaintextAuth = true,
    };

    public static ImapHarness Start(Func<ImapServerOptions, ImapServerOptions>? configure = null, bool implicitTls = false,
        TimeProvider? clock = null, LoginThrottle? throttle = null)
    {
        var options = configure?.Invoke(DefaultOptions) ?? DefaultOptions;
        clock ??= TimeProvider.System;
        throttle ??= new LoginThrottle(clock, firstDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero);
        var listener = new ListenerOptions("imap", new IPEndPoint(IPAddress.Loopback, 0), implicitTls);
        return new ImapHarness(options, listener, clock, throttle);
    }

    public Task<ImapTestClient> ConnectAsync() => ImapTestClient.ConnectAsync(EndPoint, _implicitTls);

    /// <summary>Connects and logs in as alice.</summary>
    public async Task<ImapTestClient> LoginAsync()
    {
        var client = await ConnectAsync();
        client.AssertOk(await client.CommandAsync("LOGIN alice secret"));
        return client;
    }

    /// <summary>Connects, logs in and selects INBOX.</summary>
    public async Task<ImapTestClient> SelectInboxAsync()
    {
        var client = await LoginAsync();
        client.AssertOk(await client.CommandAsync("SELECT INBOX"));
        return client;
    }

    public Task StopAsync(TimeSpan grace) => _listener.StopAsync(grace);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _listenerLog.AssertNoCrash();
    }
}
