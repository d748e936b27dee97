using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Estafeta.Hosting;
using Estafeta.Testing;
using Estafeta.Web.Api;
using Microsoft.Extensions.Logging;

namespace Estafeta.EndToEnd.Audience;

/// <summary>
/// The whole server for the GDPR API tests, on SQLite or on a fresh PostgreSQL database (named by
/// ESTAFETA_TEST_POSTGRES; without it the PostgreSQL tests fail, never skip), with a loopback DNS server that gives
/// ejemplo.es a mail server, and an API key with every scope.
/// </summary>
public abstract class AudiencePrivacyApiServer : IAsyncLifetime
{
    private LoopbackDnsServer? dns;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "estafeta-privacy-e2e-" + Guid.NewGuid().ToString("N"));

    public EstafetaHost Host { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    protected virtual Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        dns = await LoopbackDnsServer.StartAsync(new DnsZone().AddMx("ejemplo.es", 10, "mx.ejemplo.es").AddA("mx.ejemplo.es", "192.0.2.10"));
        var database = await CreateDatabaseAsync();
        Host = await EstafetaHost.StartAsync(ServerFixture.Settings(DataDirectory, new() { ["dns"] = dns.EndPoint.ToString(), ["database"] = database }), LoggerFactory.Create(_ => { }));
        var (_, adminKey) = await new ApiKeyStore(Host.Database).CreateAsync("tests", ["*"], ratePerMinute: 100_000);
        Api = Client(adminKey);
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Host.DisposeAsync();
        if (dns is not null) await dns.DisposeAsync();
        await DropDatabaseAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{Host.Endpoints["http"]}/") };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task<JsonElement> PostJsonAsync(string path, object body)
    {
        using var response = await Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 200 and < 300, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }
}

public sealed class SqlitePrivacyApiServer : AudiencePrivacyApiServer;

public sealed class PostgresPrivacyApiServer : AudiencePrivacyApiServer
{
    private ScratchPostgresDatabase? database;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        database = await ScratchPostgresDatabase.CreateAsync("estafeta_privacy_");
        return database.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
