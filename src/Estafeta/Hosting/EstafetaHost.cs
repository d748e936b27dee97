using System.Net;
using System.Security.Cryptography.X509Certificates;
using Estafeta.Imap;
using Estafeta.Mail;
using Estafeta.Marketing.Audience;
using Estafeta.Mail.Authentication;
using Estafeta.Mail.Outbound;
using Estafeta.MailAuth.Dns;
using Estafeta.Net;
using Estafeta.Pop3;
using Estafeta.Smtp;
using Estafeta.Storage;
using Estafeta.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Estafeta.Hosting;

/// <summary>
/// Everything `estafeta serve` runs, in one process: the database, the mail engine, one listener per
/// configured endpoint, and the HTTP server. Started in-process by the end-to-end tests too.
/// </summary>
public sealed class EstafetaHost : IAsyncDisposable
{
    private readonly List<ConnectionListener> _listeners;
    private readonly WebApplication? _web;
    private readonly MailEngine _engine;
    private readonly Database _db;
    private readonly BootSettings _settings;
    private readonly X509Certificate2 _certificate;
    private int _disposed;
    private AuthenticationJobs? _authenticationJobs;
    private QueueRunner? _outbound;

    private EstafetaHost(BootSettings settings, Database db, MailEngine engine, X509Certificate2 certificate, List<ConnectionListener> listeners, WebApplication? web, Dictionary<string, IPEndPoint> endpoints)
    {
        _settings = settings;
        _db = db;
        _engine = engine;
        _certificate = certificate;
        _listeners = listeners;
        _web = web;
        Endpoints = endpoints;
    }

    /// <summary>The address each listener bound, by listener name (http, smtp, submission, ...).</summary>
    public IReadOnlyDictionary<string, IPEndPoint> Endpoints { get; }
    public Database Database => _db;
    public MailEngine Engine => _engine;
    /// <summary>The outbound MTA (queue runner).</summary>
    public QueueRunner Outbound => _outbound!;

    public static async Task<EstafetaHost> StartAsync(BootSettings settings, ILoggerFactory logging, CancellationToken ct = default)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        RaiseThreadPoolMinimum();
        var startLog = logging.CreateLogger<EstafetaHost>();
        foreach (var warning in StartupWarnings.For(settings)) startLog.LogWarning("{Warning}", warning);
        var db = Database.Create(settings.DataDirectory, settings.Database);
        var listeners = new List<ConnectionListener>();
        MailEngine? engine = null;
        QueueRunner? outbound = null;
        try
        {
            await db.MigrateAsync(ct);
            var certificate = TlsCertificateLoader.LoadOrCreate(settings.DataDirectory, settings.TlsCertificate, settings.TlsKey, settings.HostName);
            var dns = new DnsClientResolver(settings.Dns is { } server ? new DnsClientResolverOptions { Servers = [server] } : null);
            var engineOptions = new MailEngineOptions(settings.HostName, settings.MaxMessageSize);
            engine = new MailEngine(db, engineOptions, TimeProvider.System, logging, dns,
                InboundAuthentication.Checks(db, dns, engineOptions, TimeProvider.System, logging));
            Uri? boundHttp = null;
            var audience = new AudienceService(db, dns, () => settings.PublicUrl ?? boundHttp ?? new Uri("http://localhost/"), settings.HostName, engine);
            engine.Unsubscribe = audience.Flows is { } flows ? new UnsubscribeMailbox(audience.Tokens, flows) : null;
            var throttle = new LoginThrottle(TimeProvider.System, settings.AuthMaxFailures);
            outbound = new QueueRunner(engine, new OutboundOptions { MxPort = settings.MxPort, NodeName = settings.HostName }, logging);

            SmtpServer Smtp(SmtpMode mode) => new(new SmtpServerOptions
            {
                HostName = settings.HostName,
                Mode = mode,
                Certificate = () => certificate,
                AllowPlaintextAuth = settings.AllowPlaintextAuth,
                MaxCommandLineLength = settings.MaxLineLength,
                MaxMessageSize = settings.MaxMessageSize,
                MaxRecipients = settings.MaxRecipients,
                MaxCommands = settings.MaxCommands,
                MaxErrors = settings.MaxErrors,
                CommandTimeout = settings.IdleTimeout,
            }, engine.SmtpPolicy(mode), engine.MessageSink(mode), throttle, logging.CreateLogger<SmtpServer>());
            Pop3Server Pop3() => new(new Pop3ServerOptions
            {
                HostName = settings.HostName,
                Certificate = () => certificate,
                AllowPlaintextAuth = settings.AllowPlaintextAuth,
                MaxErrors = settings.MaxErrors,
            }, engine.Pop3Backend, throttle, logging.CreateLogger<Pop3Server>());
            // One IMAP server for both listeners: it counts each account's sessions and caches parsed messages.
            ImapServer? imap = null;
            ImapServer Imap() => imap ??= new(new ImapServerOptions
            {
                HostName = settings.HostName,
                Certificate = () => certificate,
                AllowPlaintextAuth = settings.AllowPlaintextAuth,
                MaxLineLength = Math.Max(settings.MaxLineLength, 64 * 1024),
                MaxMessageSize = settings.MaxMessageSize,
                MaxBadCommands = settings.MaxErrors,
                MaxSessionsPerAccount = settings.ImapMaxSessionsPerAccount,
                IdleTimeout = settings.IdleTimeout > ImapServerOptions.MinIdleTimeout ? settings.IdleTimeout : ImapServerOptions.MinIdleTimeout,
            }, engine.ImapBackend, throttle, logging.CreateLogger<ImapServer>());

            var plan = new List<(string Name, IPEndPoint? EndPoint, Func<IConnectionHandler> Handler, bool ImplicitTls)>
            {
                ("smtp", settings.Smtp, () => Smtp(SmtpMode.Mx), false),
                ("submission", settings.Submission, () => Smtp(SmtpMode.Submission), false),
                ("submissions", settings.Submissions, () => Smtp(SmtpMode.Submission), true),
                ("pop3", settings.Pop3, Pop3, false),
                ("pop3s", settings.Pop3s, Pop3, true),
                ("imap", settings.Imap, Imap, false),
                ("imaps", settings.Imaps, Imap, true),
            };
            var endpoints = new Dictionary<string, IPEndPoint>();
            var listenerLog = logging.CreateLogger<ConnectionListener>();
            foreach (var (name, endpoint, handler, implicitTls) in plan)
            {
                if (endpoint is null) continue;
                var listener = new ConnectionListener(
                    new ListenerOptions(name, endpoint, implicitTls, MaxConnectionsPerAddress: settings.MaxConnectionsPerIp),
                    handler(), () => certificate, listenerLog);
                listener.Start();
                listeners.Add(listener);
                endpoints[name] = listener.BoundEndPoint;
            }

            WebApplication? web = null;
            if (settings.Http is { } http)
            {
                web = BuildWeb(http, db, listeners, logging, outbound, audience, settings.HostName);
                await web.StartAsync(ct);
                endpoints["http"] = IPEndPoint.Parse(new Uri(web.Urls.First()).Authority);
                boundHttp = new Uri(web.Urls.First());
            }
            await PortsFile.WriteAsync(settings.DataDirectory, endpoints);
            var host = new EstafetaHost(settings, db, engine, certificate, listeners, web, endpoints);
            host._authenticationJobs = new AuthenticationJobs(engine, logging.CreateLogger<AuthenticationJobs>());
            host._outbound = outbound;
            await outbound.StartAsync(ct);
            return host;
        }
        catch
        {
            foreach (var l in listeners) await l.DisposeAsync();
            if (outbound is not null) await outbound.DisposeAsync();
            if (engine is not null) await engine.DisposeAsync();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>fsync blocks a thread for milliseconds (message files, the database commit). With many
    /// sessions storing at once on a small machine, the pool would otherwise add threads slowly and
    /// stall every session; start it with enough threads for the concurrent stores.</summary>
    private static void RaiseThreadPoolMinimum()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }

    private static WebApplication BuildWeb(IPEndPoint http, Database db, List<ConnectionListener> listeners, ILoggerFactory logging, QueueRunner outbound, AudienceService audience, string hostName)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logging);
        builder.WebHost.UseUrls($"http://{PortsFile.Format(http)}");
        // Request bodies: 1 MB (JSON, forms); the import endpoint raises its own limit for the file it takes.
        // No Server header: what software answers is of use to nobody but someone looking for a known flaw in it.
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Limits.MaxRequestBodySize = Estafeta.Web.Api.ApiGate.MaxBodyBytes;
            options.AddServerHeader = false;
        });
        builder.Services.AddEstafetaWeb();
        var app = builder.Build();
        app.MapEstafetaWeb(audience, logging);
        MtaStsPolicyEndpoint.Map(app, db, hostName);
        app.MapGet("/metrics", async (CancellationToken ct) =>
            Results.Text(await outbound.Metrics.RenderAsync(new OutboundQueueStore(db), TimeProvider.System, ct), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/healthz", async (CancellationToken ct) =>
        {
            try
            {
                await using var connection = await db.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "unhealthy", database = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return Results.Json(new
            {
                status = "ok",
                database = db.Kind.ToString(),
                listeners = listeners.ToDictionary(l => l.Name, l => new { address = PortsFile.Format(l.BoundEndPoint), connections = l.ActiveConnections }),
            });
        });
        return app;
    }

    /// <summary>Graceful stop: listeners stop accepting and give sessions the grace period; accepted
    /// messages are already durable, pending commits finish before the database closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_authenticationJobs is not null) await _authenticationJobs.DisposeAsync();
        await Task.WhenAll(_listeners.Select(l => l.StopAsync(_settings.ShutdownGrace)));
        foreach (var l in _listeners) await l.DisposeAsync();
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }
        if (_outbound is not null) await _outbound.DisposeAsync();
        await _engine.DisposeAsync();
        await _db.DisposeAsync();
        _certificate.Dispose();
    }
}
