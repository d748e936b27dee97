using Estafeta.Testing;
using System.Text.Json;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.EndToEnd;

/// <summary>
/// <c>estafeta contacts gdpr-export</c> and <c>estafeta contacts erase</c> through the real executable, on SQLite
/// and on a fresh PostgreSQL database (ESTAFETA_TEST_POSTGRES; without it the PostgreSQL test fails, never skips).
/// The person is put in place in-process on the same database first.
/// </summary>
public abstract class GdprCliTests : IAsyncLifetime
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "estafeta-gdpr-cli-" + Guid.NewGuid().ToString("N"));
    private string? database;

    protected virtual Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected virtual Task DropDatabaseAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(data);
        database = await CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await DropDatabaseAsync();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    private Task<EstafetaProcess.Result> Run(string? stdin, params string[] args) =>
        EstafetaProcess.RunAsync(stdin, [.. args, "--data", data, .. database is null ? Array.Empty<string>() : ["--database", database]]);

    private async Task<(string Email, long ContactId)> PersonAsync()
    {
        await using var db = Database.Create(data, database);
        await db.MigrateAsync();
        var audience = new AudienceService(db, null, () => new Uri("https://correo.ejemplo.test/"), "mx.ejemplo.test", mail: null);
        var email = $"josé.{Guid.NewGuid().ToString("N")[..8]}@ejemplo.es";
        var (contact, _) = await audience.Contacts.UpsertAsync(new ContactInput(email) { Name = "José Núñez", Tags = ["cliente"] });
        var list = await audience.Lists.AddAsync("novedades-" + Guid.NewGuid().ToString("N")[..6], consentText: "Quiero novedades.");
        await audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, new ConsentEvidence(ConsentSourceKind.Form, "formulario", "192.0.2.9", "Firefox"));
        await audience.Engagement.RecordAsync(contact.Id, EngagementKind.Opened, "otoño", DateTimeOffset.UtcNow);
        return (email, contact.Id);
    }

    [Fact]
    public async Task A_person_is_exported_then_erased_only_after_confirmation()
    {
        var (email, id) = await PersonAsync();
        foreach (var verb in new[] { "gdpr-export", "erase" })
        {
            var help = await Run(null, "contacts", verb, "--help");
            Assert.True(help.ExitCode == 0, help.Stderr);
            Assert.Contains("Usage:", help.Stdout, StringComparison.Ordinal);
        }

        var file = Path.Combine(data, "josé.json");
        var exported = await Run(null, "contacts", "gdpr-export", email.ToUpperInvariant(), "--output", file);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.Contains("1 subscriptions, 1 consent records, 1 events", exported.Stdout, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("José Núñez", text, StringComparison.Ordinal);
        var export = JsonDocument.Parse(text).RootElement;
        Assert.Equal(id, export.GetProperty("contact").GetProperty("id").GetInt64());
        Assert.Equal("subscribed", export.GetProperty("subscriptions")[0].GetProperty("status").GetString());
        Assert.Equal("form", export.GetProperty("consentRecords")[0].GetProperty("evidence").GetProperty("kind").GetString());
        Assert.Equal("Quiero novedades.", export.GetProperty("consentRecords")[0].GetProperty("evidence").GetProperty("consentText").GetString());
        Assert.Equal("otoño", export.GetProperty("events")[0].GetProperty("campaign").GetString());
        var stdout = await Run(null, "contacts", "gdpr-export", email);
        Assert.Equal(id, JsonDocument.Parse(stdout.Stdout).RootElement.GetProperty("contact").GetProperty("id").GetInt64());

        var unconfirmed = await Run(null, "contacts", "erase", email);
        Assert.Equal(1, unconfirmed.ExitCode);
        Assert.Contains("This erases everything stored about", unconfirmed.Stderr, StringComparison.Ordinal);
        Assert.Contains("pass --yes", unconfirmed.Stderr, StringComparison.Ordinal);
        var mistyped = await Run("otra@ejemplo.es\n", "contacts", "erase", email);
        Assert.Equal(1, mistyped.ExitCode);
        Assert.Contains("does not match", mistyped.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await Run(null, "contacts", "gdpr-export", email)).ExitCode);
        Assert.Contains("\"contact\": {", (await Run(null, "contacts", "gdpr-export", email)).Stdout, StringComparison.Ordinal);

        var erased = await Run(email.ToUpperInvariant() + "\n", "contacts", "erase", email);
        Assert.True(erased.ExitCode == 0, erased.Stderr);
        Assert.Contains($"contact {id}, 1 subscriptions, 1 consent records, 1 events", erased.Stdout, StringComparison.Ordinal);

        var after = JsonDocument.Parse((await Run(null, "contacts", "gdpr-export", email)).Stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, after.GetProperty("contact").ValueKind);
        Assert.Equal("erased", after.GetProperty("suppression").GetProperty("reason").GetString());
        Assert.False(after.GetProperty("suppression").GetProperty("addressStored").GetBoolean());

        var again = await Run(null, "contacts", "erase", email, "--yes", "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        var result = JsonDocument.Parse(again.Stdout).RootElement;
        Assert.True(result.GetProperty("alreadyErased").GetBoolean());
        Assert.Equal(after.GetProperty("suppression").GetProperty("hash").GetString(), result.GetProperty("suppressionHash").GetString());
    }

    [Fact]
    public async Task Mistakes_are_one_clear_line_and_a_nonzero_exit()
    {
        var unknown = await Run(null, "contacts", "gdpr-export", "nadie@ejemplo.es");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("error: nothing is stored about nadie@ejemplo.es: no contact, suppression entry, import report row or sent mail", unknown.Stderr.Trim());
        var malformed = await Run(null, "contacts", "erase", "no-es-un-correo", "--yes");
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("is not an email address", malformed.Stderr, StringComparison.Ordinal);
        var (email, _) = await PersonAsync();
        var unwritable = await Run(null, "contacts", "gdpr-export", email, "--output", Path.Combine(data, "no-such-folder", "x.json"));
        Assert.Equal(1, unwritable.ExitCode);
        Assert.StartsWith("error: cannot write", unwritable.Stderr, StringComparison.Ordinal);
    }
}

public sealed class GdprCliOnSqlite : GdprCliTests;

public sealed class GdprCliOnPostgres : GdprCliTests
{
    private ScratchPostgresDatabase? database;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        database = await ScratchPostgresDatabase.CreateAsync("estafeta_gdpr_cli_");
        return database.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
