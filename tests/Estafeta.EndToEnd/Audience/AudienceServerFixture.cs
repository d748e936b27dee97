using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Estafeta.Hosting;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Estafeta.Testing;
using Estafeta.Web.Api;
using Microsoft.Extensions.Logging;

namespace Estafeta.EndToEnd.Audience;

/// <summary>
/// The whole server (ejemplo.test with its accounts, as <see cref="ServerFixture"/> seeds it, plus a few reader
/// accounts) answering DNS from a loopback server whose zone gives ejemplo.es, ejemplo.test and correo.pt mail
/// servers and nothing else; an API key with every scope and an HTTP client for the API and the pages; and the
/// installation's consent tokens, read from the data folder as any process on it would. On SQLite; see
/// <see cref="PostgresAudienceServerFixture"/> for the same server on PostgreSQL.
/// </summary>
public class AudienceServerFixture : IAsyncLifetime
{
    private LoopbackDnsServer? dns;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "estafeta-audience-e2e-" + Guid.NewGuid().ToString("N"));

    public EstafetaHost Host { get; private set; } = null!;

    public IPEndPoint Endpoint => Host.Endpoints["http"];

    public IPEndPoint Smtp => Host.Endpoints["smtp"];

    public IPEndPoint Pop3 => Host.Endpoints["pop3"];

    public HttpClient Api { get; private set; } = null!;

    /// <summary>What the server logged as an error or with an exception.</summary>
    public LoggedFailures Failures { get; } = new();

    public ConsentTokens Tokens => new(ConsentSecret.LoadOrCreate(DataDirectory), TimeProvider.System);

    public AudienceService Audience => new(Host.Database, null, () => new Uri($"http://{Endpoint}/"), "mx.ejemplo.test", Host.Engine);

    protected virtual Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var zone = new DnsZone()
            .AddMx("ejemplo.es", 10, "mx.ejemplo.es").AddA("mx.ejemplo.es", "192.0.2.10")
            .AddMx("ejemplo.test", 10, "mx.ejemplo.test").AddA("mx.ejemplo.test", "127.0.0.1")
            .AddMx("correo.pt", 10, "mx.correo.pt")
            .AddMx("xn--espaa-rta.test", 10, "mx.correo.pt");
        dns = await LoopbackDnsServer.StartAsync(zone);
        var database = await CreateDatabaseAsync();
        Host = await EstafetaHost.StartAsync(ServerFixture.Settings(DataDirectory, new() { ["dns"] = dns.EndPoint.ToString(), ["database"] = database }), LoggerFactory.Create(b => b.AddProvider(Failures)));
        await ServerFixture.SeedAsync(Host.Database);
        foreach (var reader in new[] { "lectora", "lector", "baja" })
        {
            await new AccountStore(Host.Database).AddAsync($"{reader}@ejemplo.test", ServerFixture.Password);
        }

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
        var client = new HttpClient { BaseAddress = new Uri($"http://{Endpoint}/") };
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

    public async Task<long> NewListAsync(string name, bool doubleOptIn, string? from = null)
    {
        var list = await PostJsonAsync("api/v1/lists", new { name, doubleOptIn, description = "Novedades de la tienda", fromAddress = from });
        return list.GetProperty("id").GetInt64();
    }
}

/// <summary>The same server on a fresh PostgreSQL database (ESTAFETA_TEST_POSTGRES; without it the tests fail, never skip).</summary>
public sealed class PostgresAudienceServerFixture : AudienceServerFixture
{
    private ScratchPostgresDatabase? database;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        database = await ScratchPostgresDatabase.CreateAsync("estafeta_audience_e2e_");
        return database.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
