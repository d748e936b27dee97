using System.Net;
using Estafeta.Hosting;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.EndToEnd;

/// <summary>
/// A whole Estafeta started in-process on port 0 over a fresh data folder (SQLite), with the domain
/// ejemplo.test, the accounts ana@ and josé@ (password "secreto-123"), a small-quota account llena@,
/// and the alias ventas@ → ana@.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    public const string Password = "secreto-123";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "estafeta-e2e-" + Guid.NewGuid().ToString("N"));
    public EstafetaHost Host { get; private set; } = null!;
    public IPEndPoint Smtp => Host.Endpoints["smtp"];
    public IPEndPoint Submission => Host.Endpoints["submission"];
    public IPEndPoint Submissions => Host.Endpoints["submissions"];
    public IPEndPoint Pop3 => Host.Endpoints["pop3"];
    public IPEndPoint Pop3s => Host.Endpoints["pop3s"];
    public IPEndPoint Imap => Host.Endpoints["imap"];
    public IPEndPoint Imaps => Host.Endpoints["imaps"];
    public IPEndPoint Http => Host.Endpoints["http"];
    public const long SmallMaxMessageSize = 256 * 1024;

    public static BootSettings Settings(string dataDirectory, Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["data"] = dataDirectory,
            ["hostname"] = "mx.ejemplo.test",
            ["http"] = "127.0.0.1:0",
            ["smtp"] = "127.0.0.1:0",
            ["submission"] = "127.0.0.1:0",
            ["submissions"] = "127.0.0.1:0",
            ["pop3"] = "127.0.0.1:0",
            ["pop3s"] = "127.0.0.1:0",
            ["imap"] = "127.0.0.1:0",
            ["imaps"] = "127.0.0.1:0",
            ["max-message-size"] = SmallMaxMessageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["shutdown-grace"] = "2",
        };
        foreach (var (k, v) in extra ?? []) values[k] = v;
        return BootSettings.Resolve(values, _ => null);
    }

    /// <summary>The --database value: null for the embedded SQLite.</summary>
    protected virtual Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var database = await CreateDatabaseAsync();
        Host = await EstafetaHost.StartAsync(Settings(DataDirectory, new() { ["database"] = database }), LoggerFactory.Create(_ => { }));
        await SeedAsync(Host.Database);
    }

    public static async Task SeedAsync(Database db)
    {
        await new DomainStore(db).AddAsync("ejemplo.test");
        var accounts = new AccountStore(db);
        await accounts.AddAsync("ana@ejemplo.test", Password);
        await accounts.AddAsync("josé@ejemplo.test", Password);
        await accounts.AddAsync("llena@ejemplo.test", Password, quotaBytes: 2048);
        await new AliasStore(db).AddAsync("ventas@ejemplo.test", "ana@ejemplo.test");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await DropDatabaseAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
