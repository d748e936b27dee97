using System.Net;
using Estafeta.Net;
using Estafeta.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Estafeta.Smtp.Tests.Support;

/// <summary>A real listener on 127.0.0.1 with a free port, running <see cref="SmtpServer"/> over the fakes.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string HostName = "mx.example.test";

    public TestServer(
        Func<SmtpServerOptions, SmtpServerOptions>? configure = null,
        bool implicitTls = false,
        LoginThrottle? throttle = null,
        ILogger<SmtpServer>? log = null,
        TimeProvider? clock = null)
    {
        var options = new SmtpServerOptions { HostName = HostName };
        Options = configure is null ? options : configure(options);
        Throttle = throttle ?? new LoginThrottle(TimeProvider.System, firstDelay: TimeSpan.FromMilliseconds(1), maxDelay: TimeSpan.FromMilliseconds(1));
        Server = new SmtpServer(Options, Policy, Sink, Throttle, log ?? NullLogger<SmtpServer>.Instance, clock);
        Listener = new ConnectionListener(
            new ListenerOptions("smtp", new IPEndPoint(IPAddress.Loopback, 0), implicitTls),
            Server,
            implicitTls ? () => TestCertificate.Instance : null,
            ListenerLog);
        Listener.Start();
    }

    public SmtpServerOptions Options { get; }
    public FakePolicy Policy { get; } = new();
    public FakeSink Sink { get; } = new();
    public LoginThrottle Throttle { get; }
    public SmtpServer Server { get; }
    public ConnectionListener Listener { get; }

    /// <summary>Sessions that crashed; disposing the server fails the test when there is one.</summary>
    public ListenerCrashLog ListenerLog { get; } = new();
    public IPEndPoint EndPoint => Listener.BoundEndPoint;

    public static SmtpServerOptions WithTls(SmtpServerOptions o) => o with { Certificate = () => TestCertificate.Instance };

    public static SmtpServerOptions Submission(SmtpServerOptions o) => o with { Mode = SmtpMode.Submission, Certificate = () => TestCertificate.Instance };

    /// <summary>Connects and reads the greeting.</summary>
    public async Task<RawClient> ConnectAsync()
    {
        var client = await RawClient.ConnectAsync(EndPoint);
        await client.ExpectAsync("220 ");
        return client;
    }

    /// <summary>Connects, reads the greeting and says EHLO.</summary>
    public async Task<RawClient> GreetAsync()
    {
        var client = await ConnectAsync();
        await client.CommandAsync("EHLO client.example.test", "250");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        ListenerLog.AssertNoCrash();
    }
}
