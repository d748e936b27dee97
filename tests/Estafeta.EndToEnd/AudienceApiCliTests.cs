using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Estafeta.EndToEnd;

/// <summary>
/// The audience verbs through the real program — lists, contacts import/export, segments count, API keys — and the
/// keys they make used against the API of a running <c>estafeta serve</c> on the same data folder.
/// </summary>
public sealed class AudienceApiCliTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "estafeta-audience-cli-" + Guid.NewGuid().ToString("N"));

    public AudienceApiCliTests() => Directory.CreateDirectory(data);

    public void Dispose()
    {
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    private async Task<EstafetaProcess.Result> Run(params string[] args)
    {
        var result = await EstafetaProcess.RunAsync(null, [.. args, "--data", data]);
        return result;
    }

    private async Task<string> Ok(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout;
    }

    [Fact]
    public async Task Lists_imports_exports_and_segment_counts_from_the_command_line()
    {
        foreach (var verb in new[] { "lists add", "lists list", "contacts import", "contacts export", "contacts gdpr-export", "contacts erase", "segments count", "segments save", "segments list", "segments remove", "lists update", "fields list", "fields add", "fields remove", "contacts show", "apikey create", "apikey list", "apikey revoke" })
        {
            Assert.Contains("Usage:", await Ok([.. verb.Split(' '), "--help"]), StringComparison.Ordinal);
        }

        Assert.Contains("double opt-in", await Ok("lists", "add", "Boletín", "--double-opt-in", "--description", "Novedades"), StringComparison.Ordinal);
        await Ok("lists", "add", "ofertas");
        var lists = JsonDocument.Parse(await Ok("lists", "list", "--json")).RootElement;
        Assert.Equal([("Boletín", true), ("ofertas", false)], lists.EnumerateArray().Select(l => (l.GetProperty("name").GetString(), l.GetProperty("doubleOptIn").GetBoolean())).OrderBy(l => l.Item1, StringComparer.Ordinal));

        var csv = Path.Combine(data, "clientes.csv");
        await File.WriteAllTextAsync(csv, "correo;nombre;pais\nana@ejemplo.es;Ana;ES\nluis@ejemplo.es;Luis;ES\nrita@correo.pt;Rita;PT\nroto;Nadie;ES\n", new UTF8Encoding(false));
        var report = JsonDocument.Parse(await Ok("contacts", "import", csv, "--list", "ofertas", "--consent-source", "feria de Sevilla", "--no-dns-check", "--json")).RootElement;
        Assert.Equal((3, 1), (report.GetProperty("inserted").GetInt64(), report.GetProperty("rejected").GetInt64()));

        Assert.Equal("2", (await Ok("segments", "count", "list(\"ofertas\") and pais = \"ES\"")).Trim());
        var shown = JsonDocument.Parse(await Ok("contacts", "show", "ANA@ejemplo.es", "--json")).RootElement;
        Assert.Equal(("Ana", "ES", "ofertas", "subscribed"), (shown.GetProperty("contact").GetProperty("name").GetString(),
            shown.GetProperty("contact").GetProperty("fields").GetProperty("pais").GetString(),
            shown.GetProperty("subscriptions")[0].GetProperty("list").GetString(), shown.GetProperty("subscriptions")[0].GetProperty("status").GetString()));
        var table = await Ok("contacts", "show", "ana@ejemplo.es");
        Assert.Contains("ofertas", table, StringComparison.Ordinal);
        Assert.Contains("pais", table, StringComparison.Ordinal);
        Assert.Equal(1, (await Run("contacts", "show", "nadie@ejemplo.es")).ExitCode);
        Assert.Equal(1, JsonDocument.Parse(await Ok("segments", "count", "pais = \"PT\"", "--json")).RootElement.GetProperty("count").GetInt64());
        var mistake = await Run("segments", "count", "pais = ");
        Assert.Equal(1, mistake.ExitCode);
        Assert.Contains("^", mistake.Stderr, StringComparison.Ordinal);

        // Custom fields from the command line: defined, listed, and removed with every value.
        Assert.Contains("Added field nivel (choice)", await Ok("fields", "add", "Nivel", "--type", "choice", "--choice", "oro", "--choice", "plata"), StringComparison.Ordinal);
        var fields = JsonDocument.Parse(await Ok("fields", "list", "--json")).RootElement.EnumerateArray().ToList();
        Assert.Equal(["oro", "plata"], fields.Single(f => f.GetProperty("name").GetString() == "nivel").GetProperty("choices").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("Removed the field nivel", await Ok("fields", "remove", "NIVEL", "--yes"), StringComparison.Ordinal);
        Assert.Equal(1, (await Run("fields", "remove", "nivel", "--yes")).ExitCode);

        // A rename carries the saved segment with it; a saved segment is removed by name.
        Assert.Contains("Saved segment españoles (id ", await Ok("segments", "save", "españoles", "list(\"ofertas\") and pais = \"ES\""), StringComparison.Ordinal);
        Assert.Contains("): 2 contacts now.", await Ok("segments", "save", "españoles", "list(\"ofertas\") and pais = \"ES\""), StringComparison.Ordinal);
        Assert.Contains("single opt-in", await Ok("lists", "update", "ofertas", "--name", "Ofertas de otoño"), StringComparison.Ordinal);
        Assert.Equal("2", (await Ok("segments", "count", "españoles")).Trim());
        Assert.Contains("Removed segment españoles", await Ok("segments", "remove", "españoles"), StringComparison.Ordinal);
        var gone = await Run("segments", "remove", "españoles");
        Assert.Equal((1, true), (gone.ExitCode, gone.Stderr.Contains("no saved segment españoles", StringComparison.Ordinal)));
        await Ok("lists", "update", "Ofertas de otoño", "--name", "ofertas");
        var nothing = await Run("lists", "update", "ofertas");
        Assert.Equal((1, true), (nothing.ExitCode, nothing.Stderr.Contains("nothing to change", StringComparison.Ordinal)));

        var jsonl = await Ok("contacts", "export", "--list", "ofertas", "--segment", "pais = \"ES\"", "--format", "jsonl");
        var exported = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("email").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["ana@ejemplo.es", "luis@ejemplo.es"], exported);
        var file = Path.Combine(data, "ofertas.csv");
        await Ok("contacts", "export", "--list", "ofertas", "--output", file);
        var rows = (await File.ReadAllTextAsync(file)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length);
        Assert.StartsWith("email,", rows[0], StringComparison.Ordinal);
        var badFormat = await Run("contacts", "export", "--format", "xml");
        Assert.Equal(1, badFormat.ExitCode);
        Assert.Contains("--format is csv, excel (CSV for spreadsheet programs: UTF-8 with a byte order mark, semicolons) or jsonl, not xml", badFormat.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_contact_is_added_subscribed_and_unsubscribed_from_the_command_line()
    {
        foreach (var verb in new[] { "contacts add", "contacts subscribe", "contacts unsubscribe" })
            Assert.Contains("Usage:", await Ok([.. verb.Split(' '), "--help"]), StringComparison.Ordinal);
        await Ok("lists", "add", "Boletín", "--double-opt-in");
        await Ok("lists", "add", "Ofertas");

        Assert.Equal("Added contact 1: ana@ejemplo.es", (await Ok("contacts", "add", "Ana@Ejemplo.ES", "--name", "Ana", "--language", "Español", "--tag", "vip",
            "--field", "país=ES", "--field", "ciudad=Sevilla", "--no-dns-check")).Trim());
        Assert.Equal("Updated contact 1: ana@ejemplo.es", (await Ok("contacts", "add", "ana@ejemplo.es", "--field", "ciudad=", "--no-dns-check")).Trim());
        var bad = await Run("contacts", "add", "ana@ejemplo.es", "--field", "ciudad", "--no-dns-check");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--field takes NAME=VALUE, not 'ciudad'", bad.Stderr, StringComparison.Ordinal);

        // Subscribing needs the stated consent; the list is found as segments find it.
        var noConsent = await Run("contacts", "subscribe", "ana@ejemplo.es", "--list", "boletin", "--no-dns-check");
        Assert.Contains("--consent-source", noConsent.Stderr, StringComparison.Ordinal);
        Assert.Contains("a double opt-in list: no confirmation mail was sent",
            await Ok("contacts", "subscribe", "ana@ejemplo.es", "--list", "boletin", "--consent-source", "pidió el alta por teléfono", "--no-dns-check"), StringComparison.Ordinal);
        await Ok("contacts", "subscribe", "luis@ejemplo.es", "--list", "Ofertas", "--consent-source", "mostrador", "--no-dns-check");
        await Ok("contacts", "subscribe", "ana@ejemplo.es", "--list", "2", "--consent-source", "mostrador", "--no-dns-check");

        var shown = JsonDocument.Parse(await Ok("contacts", "show", "ana@ejemplo.es", "--json")).RootElement;
        var contact = shown.GetProperty("contact");
        Assert.Equal(("Ana", "es", "ES", false), (contact.GetProperty("name").GetString(), contact.GetProperty("language").GetString(),
            contact.GetProperty("fields").GetProperty("país").GetString(), contact.GetProperty("fields").TryGetProperty("ciudad", out _)));
        Assert.Equal(["Boletín:subscribed", "Ofertas:subscribed"], shown.GetProperty("subscriptions").EnumerateArray()
            .Select(x => x.GetProperty("list").GetString() + ":" + x.GetProperty("status").GetString()).Order(StringComparer.Ordinal));
        var consent = JsonDocument.Parse(await Ok("contacts", "gdpr-export", "ana@ejemplo.es")).RootElement.GetProperty("consentRecords")[0].GetProperty("evidence");
        Assert.Equal(("operator", "command line: pidió el alta por teléfono"), (consent.GetProperty("kind").GetString(), consent.GetProperty("source").GetString()));
        Assert.StartsWith("Quiero recibir los correos de la lista «Boletín»", consent.GetProperty("consentText").GetString(), StringComparison.Ordinal);

        var neither = await Run("contacts", "unsubscribe", "ana@ejemplo.es");
        Assert.Contains("--list", neither.Stderr, StringComparison.Ordinal);
        Assert.Equal("ana@ejemplo.es is unsubscribed from Ofertas.", (await Ok("contacts", "unsubscribe", "ana@ejemplo.es", "--list", "ofertas")).Trim());
        Assert.Equal("ana@ejemplo.es is unsubscribed from Boletín.", (await Ok("contacts", "unsubscribe", "1", "--all")).Trim());
        Assert.Equal("Ofertas:subscribed", string.Join(",", JsonDocument.Parse(await Ok("contacts", "show", "luis@ejemplo.es", "--json")).RootElement
            .GetProperty("subscriptions").EnumerateArray().Select(x => x.GetProperty("list").GetString() + ":" + x.GetProperty("status").GetString())));
        var notOn = await Run("contacts", "unsubscribe", "luis@ejemplo.es", "--list", "Boletín");
        Assert.Contains("luis@ejemplo.es is not on the list Boletín", notOn.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_file_of_an_import_keeps_a_formula_in_a_rejected_cell_as_text()
    {
        var csv = Path.Combine(data, "formulas.csv");
        await File.WriteAllTextAsync(csv, "email,nombre\n\"=HYPERLINK(\"\"http://x.test\"\")\",Ana\n@menciones,Bea\n", new UTF8Encoding(false));
        var report = Path.Combine(data, "informe.csv");

        await Ok("contacts", "import", csv, "--consent-source", "prueba", "--no-dns-check", "--report", report);

        var lines = (await File.ReadAllTextAsync(report)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,email,outcome,reason", lines[0]);
        Assert.StartsWith("2,\"'=HYPERLINK(\"\"http://x.test\"\")\",rejected,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("3,'@menciones,rejected,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppression_and_list_removal_from_the_command_line()
    {
        foreach (var verb in new[] { "suppression list", "suppression add", "suppression remove", "lists remove" })
        {
            Assert.Contains("Usage:", await Ok([.. verb.Split(' '), "--help"]), StringComparison.Ordinal);
        }

        Assert.Contains("No address is suppressed.", await Ok("suppression", "list"), StringComparison.Ordinal);
        Assert.Contains("Suppressed ñandú@correo.test (manual)", await Ok("suppression", "add", "Ñandú@Correo.TEST", "--note", "pidió la baja por teléfono"), StringComparison.Ordinal);
        await Ok("suppression", "add", "queja@correo.test", "--reason", "complaint");
        var table = await Ok("suppression", "list");
        Assert.Contains("pidió la baja por teléfono", table, StringComparison.Ordinal);
        Assert.Contains("Reason", table, StringComparison.Ordinal);
        var complaints = JsonDocument.Parse(await Ok("suppression", "list", "--reason", "complaint", "--json")).RootElement;
        Assert.Equal(["queja@correo.test"], complaints.EnumerateArray().Select(e => e.GetProperty("email").GetString()));
        var erased = await Run("suppression", "add", "x@correo.test", "--reason", "erased");
        Assert.NotEqual(0, erased.ExitCode);
        Assert.Contains("contacts erase", erased.Stderr, StringComparison.Ordinal);
        await Ok("suppression", "remove", "ñandú@correo.test");
        var again = await Run("suppression", "remove", "ñandú@correo.test");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("not suppressed", again.Stderr, StringComparison.Ordinal);

        await Ok("lists", "add", "Temporal");
        var refused = await Run("lists", "remove", "Temporal");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("pass --yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Deleted the list Temporal", await Ok("lists", "remove", "Temporal", "--yes"), StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(await Ok("lists", "list", "--json")).RootElement.GetArrayLength());
        Assert.Contains("does not exist", (await Run("lists", "remove", "Temporal", "--yes")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_made_on_the_command_line_works_against_the_running_api_only_within_its_scopes_until_revoked()
    {
        var created = JsonDocument.Parse(await Ok("apikey", "create", "tienda", "--scope", "lists:read", "--rate", "100", "--json")).RootElement;
        var secret = created.GetProperty("key").GetString()!;
        var prefix = created.GetProperty("prefix").GetString()!;
        await Ok("lists", "add", "ofertas");
        var listed = await Ok("apikey", "list", "--json");
        Assert.Contains(prefix, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        var refused = await Run("apikey", "create", "mala", "--scope", "contacts:everything");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is not a scope", refused.Stderr, StringComparison.Ordinal);

        using var server = await EstafetaProcess.StartServerAsync(data);
        try
        {
            var ports = await Hosting.PortsFile.ReadAsync(data);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{ports["http"]}/") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

            var lists = await http.GetFromJsonAsync<JsonElement>("api/v1/lists");
            Assert.Equal("ofertas", Assert.Single(lists.EnumerateArray()).GetProperty("name").GetString());
            var forbidden = await http.PostAsJsonAsync("api/v1/lists", new { name = "otra" });
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

            await Ok("apikey", "revoke", prefix);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/lists")).StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
