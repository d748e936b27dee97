using System.Text;
using Estafeta.Mail.Outbound;
using Estafeta.Storage;
using Estafeta.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Estafeta.Mail.Outbound.Tests.Support;

/// <summary>
/// A mail engine and queue runner over a fresh SQLite data folder, a manual clock and an in-memory DNS zone, with
/// scripted sinks on 127.0.0.2, 127.0.0.3, ... (all on one port, the runner's MX port). Passes run one at a time
/// through <see cref="RunAsync"/>; the clock moves only with <see cref="Advance"/>.
/// </summary>
public sealed class MtaHarness : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "estafeta-mta-" + Guid.NewGuid().ToString("N"));

    private readonly string? _postgresDatabase;

    private MtaHarness(int sinks, OutboundOptions? options, (string Name, string ConnectionString)? postgres)
    {
        Sinks = ScriptedSmtpSink.StartMany(sinks);
        Directory.CreateDirectory(_data);
        _postgresDatabase = postgres?.Name;
        Db = Database.Create(_data, postgres?.ConnectionString, Clock);
        // Notices go back to origen.test senders; its DNS fails for now, so they stay queued where tests read them.
        Zone.FailWithServerFailure("origen.test");
        Dns = new InMemoryDnsResolver(Zone);
        Engine = new MailEngine(Db, new MailEngineOptions("mta.origen.test", 10 * 1024 * 1024), Clock, NullLoggerFactory.Instance, Dns);
        // No idle connections kept between passes unless a test asks: each pass starts from closed connections.
        Options = (options ?? new OutboundOptions { ConnectionIdle = TimeSpan.Zero }) with { MxPort = Sinks[0].EndPoint.Port, NodeName = "test-node", ConnectTimeout = TimeSpan.FromSeconds(5), CommandTimeout = TimeSpan.FromSeconds(10) };
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 3, 3, 9, 0, 0, TimeSpan.Zero));
    public DnsZone Zone { get; } = new();
    public InMemoryDnsResolver Dns { get; }
    public Database Db { get; }
    public MailEngine Engine { get; }
    public OutboundOptions Options { get; private set; }
    public QueueRunner Runner { get; private set; } = null!;
    public IReadOnlyList<ScriptedSmtpSink> Sinks { get; }
    public OutboundQueueStore Queue => new(Db);
    public OutboundEventStore Events => new(Db);
    public OutboundSettingsStore Settings => new(Db);

    /// <param name="postgres">Over a fresh PostgreSQL database on the server named by <c>ESTAFETA_TEST_POSTGRES</c>
    /// (dropped at the end) instead of SQLite; without that variable the test fails rather than skips.</param>
    public static async Task<MtaHarness> StartAsync(int sinks = 2, OutboundOptions? options = null, bool postgres = false)
    {
        var h = new MtaHarness(sinks, options, postgres ? await CreatePostgresAsync() : null);
        await h.Db.MigrateAsync();
        h.Runner = new QueueRunner(h.Engine, h.Options, NullLoggerFactory.Instance);
        return h;
    }

    /// <summary>A domain whose single MX is sink number <paramref name="sink"/>.</summary>
    public MtaHarness Domain(string domain, int sink = 0, int preference = 10)
    {
        var host = $"mx{sink}.{domain}";
        Zone.AddMx(domain, preference, host).AddA(host, Sinks[sink].EndPoint.Address.ToString());
        return this;
    }

    public static byte[] Message(string subject, string from = "ana@origen.test", string to = "bea@destino.test", string body = "Hola.")
    {
        var text = $"Return-Path: <{from}>\r\nReceived: from test by mta.origen.test; Mon, 3 Mar 2025 09:00:00 +0000\r\n" +
            $"From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{subject.Replace(' ', '-')}@origen.test>\r\n" +
            $"Date: Mon, 3 Mar 2025 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Queues a message directly, as submission would (the stored file starts with Return-Path).</summary>
    public async Task<long> QueueAsync(string subject, string from, IReadOnlyList<OutboundRecipient> to, bool verp = false, string? ret = null, string? envId = null)
    {
        var blob = await Engine.Blobs.WriteAsync(Message(subject, from, to[0].Address));
        var receipt = await Engine.Writer.CommitAsync(new Delivery(blob, [], Clock.GetUtcNow(), new MessageEnvelope(null, subject, null, null, null, null, null, null, null, null),
            Outbound: new OutboundMessage(from, to, null, ret, envId, Verp: verp)));
        return receipt.QueueId!.Value;
    }

    public Task<long> QueueAsync(string subject, string from, params string[] to) =>
        QueueAsync(subject, from, [.. to.Select(t => new OutboundRecipient(t))]);

    public Task RunAsync() => Runner.RunOnceAsync();

    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>Queue entries sent with the null sender (the notices), parsed.</summary>
    public async Task<IReadOnlyList<(QueuedMessage Entry, MimeMessage Message)>> NoticesAsync()
    {
        var result = new List<(QueuedMessage, MimeMessage)>();
        foreach (var e in (await Queue.ListAsync()).Where(e => e.EnvelopeSender.Length == 0))
            result.Add((e, QueuedContent.Load(Engine.Blobs, e.BlobHash, CancellationToken.None)));
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        await Engine.DisposeAsync();
        await Db.DisposeAsync();
        foreach (var s in Sinks) await s.DisposeAsync();
        try { Directory.Delete(_data, true); } catch (IOException) { }
        if (_postgresDatabase is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(PostgresAdmin);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("ESTAFETA_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "ESTAFETA_TEST_POSTGRES is not set, so the MTA's PostgreSQL tests cannot run: eval \"$(sudo scripts/test-postgres.sh)\"");

    private static async Task<(string, string)> CreatePostgresAsync()
    {
        var name = "estafeta_mta_" + Guid.NewGuid().ToString("N");
        await using (var admin = new Npgsql.NpgsqlConnection(PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        return (name, new Npgsql.NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString);
    }
}
