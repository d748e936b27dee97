using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Estafeta.Web.Api;

namespace Estafeta.EndToEnd.Audience;

/// <summary>GDPR through the REST API over real HTTP: export and erasure by address, their scopes, problem details, idempotency, and totals that survive erasure.</summary>
public abstract class AudiencePrivacyApiTests(AudienceServerFixture server)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }

    private static HttpRequestMessage Post(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    /// <summary>A contact subscribed through the API with the person's IP and agent, a custom field, a tag and two events of a campaign.</summary>
    private async Task<(string Email, long ContactId, string Campaign)> PersonAsync()
    {
        var email = Unique("Olga") + "@Ejemplo.ES";
        var list = (await server.PostJsonAsync("api/v1/lists", new { name = Unique("lista"), consentText = "Acepto recibir novedades." })).GetProperty("id").GetInt64();
        var id = (await server.PostJsonAsync($"api/v1/lists/{list}/subscriptions", new { email, name = "Olga Ruiz", ip = "198.51.100.4", userAgent = "Tienda/1.0" })).GetProperty("contactId").GetInt64();
        await server.PostJsonAsync("api/v1/contacts", new { email, tags = new[] { "vip" }, fields = new { ciudad = "Huelva" } });
        var campaign = Unique("rebajas");
        await server.PostJsonAsync($"api/v1/contacts/{id}/events", new { kind = "opened", campaign });
        await server.PostJsonAsync($"api/v1/contacts/{id}/events", new { kind = "clicked", campaign });
        return (email, id, campaign);
    }

    [Fact]
    public async Task The_export_by_address_holds_everything_and_is_never_stored_for_replays()
    {
        var (email, id, campaign) = await PersonAsync();
        var key = Guid.NewGuid().ToString();

        var first = await server.Api.SendAsync(Post("api/v1/privacy/export", new { email }, key));
        var second = await server.Api.SendAsync(Post("api/v1/privacy/export", new { email }, key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotency-Replayed"));
        var export = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email.ToLowerInvariant(), export.GetProperty("email").GetString());
        Assert.Equal(id, export.GetProperty("contact").GetProperty("id").GetInt64());
        Assert.Equal("Olga Ruiz", export.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("vip", export.GetProperty("contact").GetProperty("tags")[0].GetString());
        Assert.Contains(export.GetProperty("customFields").EnumerateArray(), f => f.GetProperty("name").GetString() == "ciudad" && f.GetProperty("value").GetString() == "Huelva");
        Assert.Equal("subscribed", Assert.Single(export.GetProperty("subscriptions").EnumerateArray()).GetProperty("status").GetString());
        var record = Assert.Single(export.GetProperty("consentRecords").EnumerateArray());
        Assert.Equal("198.51.100.4", record.GetProperty("evidence").GetProperty("ip").GetString());
        Assert.Equal("Tienda/1.0", record.GetProperty("evidence").GetProperty("userAgent").GetString());
        Assert.Equal("Acepto recibir novedades.", record.GetProperty("evidence").GetProperty("consentText").GetString());
        Assert.Equal(["opened", "clicked"], export.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("campaign").GetString() == campaign).Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("valid", export.GetProperty("validation").GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, export.GetProperty("suppression").ValueKind);

        var byId = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{id}/export");
        Assert.Equal(id, byId.GetProperty("contact").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Erasure_removes_the_stored_answers_that_hold_an_address_with_accents_and_a_plus()
    {
        // The API writes "í" as itself and "+" escaped (\u002B): the stored answer holds neither the address as typed
        // nor its fully escaped form.
        var email = $"íñigo+{Guid.NewGuid().ToString("N")[..8]}@ejemplo.es";
        var idem = Guid.NewGuid().ToString();
        var first = await server.Api.SendAsync(Post("api/v1/contacts", new { email, name = "Íñigo" }, idem));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("\\u002B", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var erased = await server.Api.SendAsync(Post("api/v1/privacy/erasure", new { email }, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(1, JsonSerializer.Deserialize<JsonElement>(await erased.Content.ReadAsStringAsync()).GetProperty("cachedApiResponses").GetInt64());
        var retry = await server.Api.SendAsync(Post("api/v1/contacts", new { email, name = "Íñigo" }, idem));
        Assert.False(retry.Headers.Contains("Idempotency-Replayed"));
        await ProblemAsync(retry, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Erasure_removes_the_person_keeps_the_hash_and_the_totals_and_can_be_repeated()
    {
        var (email, id, campaign) = await PersonAsync();
        var idem = Guid.NewGuid().ToString();
        var cached = await server.Api.SendAsync(Post("api/v1/contacts", new { email, name = "Olga Ruiz" }, idem));
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        var totals = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/engagement/totals?campaign={campaign}");
        Assert.Equal((1, 1), (totals.GetProperty("opened").GetInt64(), totals.GetProperty("clicked").GetInt64()));

        var erased = await server.Api.SendAsync(Post("api/v1/privacy/erasure", new { email = email.ToUpperInvariant() }, Guid.NewGuid().ToString()));

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var body = await erased.Content.ReadAsStringAsync();
        Assert.DoesNotContain(email.ToLowerInvariant(), body.ToLowerInvariant(), StringComparison.Ordinal);
        var result = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal(id, result.GetProperty("contactId").GetInt64());
        Assert.Equal((1, 1, 2), (result.GetProperty("subscriptions").GetInt64(), result.GetProperty("consentRecords").GetInt64(), result.GetProperty("events").GetInt64()));
        Assert.True(result.GetProperty("cachedApiResponses").GetInt64() >= 1);
        var hash = result.GetProperty("suppressionHash").GetString();

        await ProblemAsync(await server.Api.GetAsync($"api/v1/contacts/{id}"), HttpStatusCode.NotFound);
        // The idempotent answer that held the address is gone: the retry runs again, and is refused.
        var retry = await server.Api.SendAsync(Post("api/v1/contacts", new { email, name = "Olga Ruiz" }, idem));
        Assert.False(retry.Headers.Contains("Idempotency-Replayed"));
        await ProblemAsync(retry, HttpStatusCode.Conflict);
        var list = (await server.PostJsonAsync("api/v1/lists", new { name = Unique("otra") })).GetProperty("id").GetInt64();
        await ProblemAsync(await server.Api.PostAsJsonAsync($"api/v1/lists/{list}/subscriptions", new { email }), HttpStatusCode.Conflict);
        await ProblemAsync(await server.Api.DeleteAsync($"api/v1/suppression/{Uri.EscapeDataString(email)}"), HttpStatusCode.Conflict);
        Assert.Equal("erased", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/suppression/{Uri.EscapeDataString(email)}")).GetProperty("reason").GetString());
        var entries = await server.Api.GetFromJsonAsync<JsonElement>("api/v1/suppression?limit=500");
        var entry = Assert.Single(entries.GetProperty("data").EnumerateArray(), e => e.GetProperty("hash").GetString() == hash);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("email").ValueKind);
        Assert.Equal(totals.GetRawText(), (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/engagement/totals?campaign={campaign}")).GetRawText());

        var export = await server.PostJsonAsync("api/v1/privacy/export", new { email });
        Assert.Equal(JsonValueKind.Null, export.GetProperty("contact").ValueKind);
        Assert.Equal("erased", export.GetProperty("suppression").GetProperty("reason").GetString());
        Assert.False(export.GetProperty("suppression").GetProperty("addressStored").GetBoolean());

        var again = await server.PostJsonAsync("api/v1/privacy/erasure", new { email });
        Assert.True(again.GetProperty("alreadyErased").GetBoolean());
        Assert.Equal(hash, again.GetProperty("suppressionHash").GetString());
    }

    [Fact]
    public async Task Gdpr_requests_need_the_privacy_scopes()
    {
        var (email, id, _) = await PersonAsync();
        var store = new ApiKeyStore(server.Host.Database);
        var (_, writer) = await store.CreateAsync("crm", ["contacts:write"]);
        var (_, reader) = await store.CreateAsync("dpo", ["privacy:read"]);
        using var crm = server.Client(writer);
        using var dpo = server.Client(reader);

        var problem = await ProblemAsync(await crm.PostAsJsonAsync("api/v1/privacy/export", new { email }), HttpStatusCode.Forbidden);
        Assert.Contains("privacy:read", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await crm.DeleteAsync($"api/v1/contacts/{id}"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await dpo.PostAsJsonAsync("api/v1/privacy/export", new { email })).StatusCode);
        await ProblemAsync(await dpo.PostAsJsonAsync("api/v1/privacy/erasure", new { email }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync($"api/v1/contacts/{id}")).StatusCode);
    }

    [Fact]
    public async Task Bad_gdpr_requests_are_problem_details()
    {
        await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/privacy/erasure", new { }), HttpStatusCode.BadRequest);
        await ProblemAsync(await server.Api.PostAsync("api/v1/privacy/export", new StringContent("{\"email\":", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/privacy/erasure", new { email = "no-es-un-correo" }), HttpStatusCode.UnprocessableEntity);
        var unknown = Unique("nadie") + "@ejemplo.es";
        var problem = await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/privacy/export", new { email = unknown }), HttpStatusCode.NotFound);
        Assert.Contains("nothing is stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await server.Api.DeleteAsync("api/v1/contacts/987654321"), HttpStatusCode.NotFound);

        using var anonymous = server.Client(null);
        // Every problem type is a path that explains it (RFC 9457 §3.1.1), readable without a key.
        var type = problem.GetProperty("type").GetString()!;
        Assert.Equal("/api/v1/problems/not-found", type);
        Assert.Contains("does not exist", await anonymous.GetStringAsync(type.TrimStart('/')), StringComparison.Ordinal);
        foreach (var name in ProblemTypes.All.Keys)
        {
            var page = await anonymous.GetAsync($"api/v1/problems/{name}");
            Assert.True(page.StatusCode == HttpStatusCode.OK, name);
            Assert.StartsWith($"{name} ({ProblemTypes.All[name].Status} ", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await ProblemAsync(await anonymous.GetAsync("api/v1/problems/no-such-type"), HttpStatusCode.NotFound);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("api/v1/openapi.json");
        foreach (var path in new[] { "/api/v1/privacy/export", "/api/v1/privacy/erasure", "/api/v1/engagement/totals" })
        {
            Assert.True(doc.GetProperty("paths").TryGetProperty(path, out _), path);
        }
    }
}

public sealed class AudiencePrivacyApiOnSqlite(AudienceServerFixture server) : AudiencePrivacyApiTests(server), IClassFixture<AudienceServerFixture>;

public sealed class AudiencePrivacyApiOnPostgres(PostgresAudienceServerFixture server) : AudiencePrivacyApiTests(server), IClassFixture<PostgresAudienceServerFixture>;
