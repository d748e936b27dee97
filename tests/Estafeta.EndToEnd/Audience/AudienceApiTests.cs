using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Estafeta.EndToEnd.Audience;

/// <summary>The REST API through real HTTP: keys and scopes, problem details, pagination, idempotency, rate limits, imports, exports, segments, suppression, GDPR.</summary>
public sealed class AudienceApiTests(AudienceServerFixture server) : IClassFixture<AudienceServerFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        return problem;
    }

    [Fact]
    public async Task A_request_without_a_key_gets_a_401_problem()
    {
        using var anonymous = server.Client(null);
        var response = await anonymous.GetAsync("api/v1/contacts");

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await ProblemAsync(await server.Client("est_00000000_" + new string('a', 64)).GetAsync("api/v1/lists"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_a_403_problem_and_a_revoked_key_stops_working()
    {
        var store = new Estafeta.Web.Api.ApiKeyStore(server.Host.Database);
        var (key, secret) = await store.CreateAsync("solo-lectura", ["contacts:read"]);
        using var reader = server.Client(secret);

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("api/v1/contacts")).StatusCode);
        var problem = await ProblemAsync(await reader.PostAsJsonAsync("api/v1/contacts", new { email = "x@ejemplo.es" }), HttpStatusCode.Forbidden);
        Assert.Contains("contacts:write", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await store.RevokeAsync(key.Prefix);
        await ProblemAsync(await reader.GetAsync("api/v1/contacts"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Contacts_are_created_updated_and_paged_with_a_cursor()
    {
        var tag = Unique("api");
        var created = await server.Api.PostAsJsonAsync("api/v1/contacts", new { email = $"Marta.{tag}@Ejemplo.ES", name = "Marta", language = "es", tags = new[] { tag }, fields = new { puntos = 10, vip = true } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contact = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"marta.{tag}@ejemplo.es", contact.GetProperty("email").GetString());
        Assert.Equal("/api/v1/contacts/" + contact.GetProperty("id").GetInt64(), created.Headers.Location!.ToString());

        var again = await server.Api.PostAsJsonAsync("api/v1/contacts", new { email = $"marta.{tag}@ejemplo.es", timeZone = "Europe/Madrid" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Europe/Madrid", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("timeZone").GetString());

        for (var i = 0; i < 4; i++) await server.PostJsonAsync("api/v1/contacts", new { email = $"p{i}.{tag}@ejemplo.es", tags = new[] { tag } });
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts?limit=2&segment={Uri.EscapeDataString($"tag(\"{tag}\")")}{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("email").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
        await ProblemAsync(await server.Api.GetAsync("api/v1/contacts?cursor=nonsense!"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_list_is_changed_with_patch_and_a_saved_segment_naming_it_follows_a_rename()
    {
        var name = Unique("Boletín");
        var id = await server.NewListAsync(name, doubleOptIn: false);
        var segment = Unique("segmento");
        await server.PostJsonAsync("api/v1/segments", new { name = segment, expression = $"list(\"{name}\")" });

        var renamed = Unique("Novedades");
        var patch = await server.Api.PatchAsJsonAsync($"api/v1/lists/{id}", new { name = renamed, doubleOptIn = true });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var list = await patch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((renamed, true), (list.GetProperty("name").GetString(), list.GetProperty("doubleOptIn").GetBoolean()));

        var segments = await server.Api.GetFromJsonAsync<JsonElement>("api/v1/segments");
        var saved = segments.EnumerateArray().Single(s => s.GetProperty("name").GetString() == segment);
        Assert.Equal($"list(\"{renamed}\")", saved.GetProperty("expression").GetString());

        var warned = await server.PostJsonAsync("api/v1/segments/count", new { expression = $"list(\"{renamed}\") and not clicked(campaign: \"navidd\")" });
        Assert.Contains("\"navidd\"", Assert.Single(warned.GetProperty("warnings").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var unknown = await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression = $"not list(\"{name}\")" }), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("there is no list named", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/lists/{id}", new { name = "" }), HttpStatusCode.UnprocessableEntity);
        await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/lists/{id}", new { doubleOptIn = "sí" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await server.Api.PatchAsJsonAsync("api/v1/lists/999999999", new { description = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_custom_field_is_removed_with_delete_unless_a_saved_segment_uses_it()
    {
        var field = Unique("región").Replace('-', '_');
        await server.PostJsonAsync("api/v1/fields", new { name = field, type = "text" });
        var segment = Unique("norte");
        await server.PostJsonAsync("api/v1/segments", new { name = segment, expression = $"{field} = \"norte\"" });

        var inUse = await ProblemAsync(await server.Api.DeleteAsync($"api/v1/fields/{Uri.EscapeDataString(field)}"), HttpStatusCode.Conflict);
        Assert.Contains(segment, inUse.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var removed = await server.Api.DeleteAsync($"api/v1/fields/{Uri.EscapeDataString(field.Replace("ó", "o", StringComparison.Ordinal).ToUpperInvariant())}?force=true");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var body = await removed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Equal([segment], body.GetProperty("segments").EnumerateArray().Select(e => e.GetString()));
        await ProblemAsync(await server.Api.DeleteAsync($"api/v1/fields/{Uri.EscapeDataString(field)}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Json_answers_write_spanish_letters_as_themselves_and_escape_what_html_would_read()
    {
        var tag = Unique("utf8");
        var created = await server.Api.PostAsJsonAsync("api/v1/contacts", new { email = $"josé.{tag}@ejemplo.es", name = "José Muñoz <b>", tags = new[] { tag } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.Contains($"\"josé.{tag}@ejemplo.es\"", body, StringComparison.Ordinal);
        Assert.Contains("\"José Muñoz \\u003Cb\\u003E\"", body, StringComparison.Ordinal);
        var problem = await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression = "año_de_alta = " });
        Assert.Contains("año_de_alta", await problem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var jsonl = await server.Api.GetStringAsync($"api/v1/exports?segment={Uri.EscapeDataString($"tag(\"{tag}\")")}&format=jsonl");
        Assert.Contains("\"José Muñoz \\u003Cb\\u003E\"", jsonl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_is_answered_with_problem_details()
    {
        await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/contacts", new { email = "ana..b@ejemplo.es" }), HttpStatusCode.UnprocessableEntity);
        await ProblemAsync(await server.Api.PostAsync("api/v1/contacts", new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemAsync(await server.Api.GetAsync("api/v1/contacts/987654321"), HttpStatusCode.NotFound);
        await ProblemAsync(await server.Api.GetAsync("api/v1/no-such-thing"), HttpStatusCode.NotFound);
        await ProblemAsync(await server.Api.GetAsync("api/v1/lists/not-a-number"), HttpStatusCode.NotFound);
        // An endpoint asked with another method, or sent a body that is not JSON, says so (it was a 404 "no such endpoint").
        var method = await server.Api.GetAsync("api/v1/segments/count");
        Assert.Equal("POST", Assert.Single(method.Content.Headers.Allow));
        Assert.Contains("takes POST", (await ProblemAsync(method, HttpStatusCode.MethodNotAllowed)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var media = await server.Api.PostAsync("api/v1/contacts", new StringContent("email=ana@ejemplo.es", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Contains("application/json", (await ProblemAsync(media, HttpStatusCode.UnsupportedMediaType)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var wrongKind = await server.Api.PostAsync("api/v1/contacts", new StringContent("{\"email\": 5}", Encoding.UTF8, "application/json"));
        var detail = (await ProblemAsync(wrongKind, HttpStatusCode.BadRequest)).GetProperty("detail").GetString();
        Assert.Contains("$.email", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Estafeta.", detail, StringComparison.Ordinal);
        Assert.Contains("empty", (await ProblemAsync(await server.Api.PostAsync("api/v1/contacts", new StringContent("", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var name = Unique("dup");
        await server.NewListAsync(name, doubleOptIn: false);
        await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/lists", new { name }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_member_the_request_does_not_take_is_refused_and_an_item_read_back_can_be_sent_again()
    {
        var email = Unique("miembros") + "@ejemplo.es";
        var created = await (await server.Api.PostAsJsonAsync("api/v1/contacts", new { email, name = "Ana" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();

        // A typo was ignored: 200, nothing changed.
        var typo = await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/contacts/{id}", new { nme = "Bea" }), HttpStatusCode.BadRequest);
        Assert.Equal("the body has a member this request does not take: 'nme' (did you mean 'name'?); it takes email, name, language, timeZone, fields, tags, removeTags",
            typo.GetProperty("detail").GetString());
        var unknown = await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/lists", new { name = Unique("l"), colour = "azul" }), HttpStatusCode.BadRequest);
        Assert.StartsWith("the body has a member this request does not take: 'colour'; it takes name, description, doubleOptIn", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Ana", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{id}")).GetProperty("name").GetString());

        // The contact as the API gave it (id, validation, times...), one value changed, sent back.
        var read = await server.Api.GetStringAsync($"api/v1/contacts/{id}");
        var again = await server.Api.PatchAsync($"api/v1/contacts/{id}", new StringContent(read.Replace("\"Ana\"", "\"Bea\"", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Bea", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_query_parameter_the_endpoint_does_not_take_is_refused_instead_of_ignored()
    {
        // ?segmnt= was ignored, and the export held every contact.
        var typo = await ProblemAsync(await server.Api.GetAsync("api/v1/exports?segmnt=vip&format=csv"), HttpStatusCode.BadRequest);
        Assert.Equal("this endpoint does not take the query parameter 'segmnt' (did you mean 'segment'?); it takes list, segment, format", typo.GetProperty("detail").GetString());
        var none = await ProblemAsync(await server.Api.GetAsync("api/v1/lists?page=2"), HttpStatusCode.BadRequest);
        Assert.Equal("this endpoint does not take the query parameter 'page'; it takes none", none.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync("api/v1/contacts?LIMIT=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync("api/v1/contacts?limit=1&cursor=")).StatusCode);
    }

    [Fact]
    public async Task A_post_with_an_idempotency_key_runs_once_and_is_replayed()
    {
        var key = Guid.NewGuid().ToString();
        var body = new { name = Unique("idem") };
        HttpRequestMessage Post(object content) => new(HttpMethod.Post, "api/v1/lists") { Content = JsonContent.Create(content), Headers = { { "Idempotency-Key", key } } };

        var first = await server.Api.SendAsync(Post(body));
        var second = await server.Api.SendAsync(Post(body));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotency-Replayed").Single());
        // The replay is the whole answer: its headers (where the list is) and content type too.
        Assert.NotNull(first.Headers.Location);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        var lists = await server.Api.GetFromJsonAsync<JsonElement>("api/v1/lists");
        Assert.Single(lists.EnumerateArray(), l => l.GetProperty("name").GetString() == body.name);
        await ProblemAsync(await server.Api.SendAsync(Post(new { name = Unique("otra") })), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after()
    {
        var (_, secret) = await new Estafeta.Web.Api.ApiKeyStore(server.Host.Database).CreateAsync("lenta", ["lists:read"], ratePerMinute: 3);
        using var slow = server.Client(secret);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await slow.GetAsync("api/v1/lists")).StatusCode);

        var limited = await slow.GetAsync("api/v1/lists");

        await ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task A_json_body_over_1_mb_is_a_413_problem_and_an_import_file_over_it_is_taken()
    {
        // Expect: 100-continue: the 413 comes from the length alone, before the body is sent (see ConsentFlowTests).
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/contacts")
        {
            Content = new StringContent($"{{\"email\":\"x@ejemplo.es\",\"name\":\"{new string('x', 1_100_000)}\"}}", Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = true },
        };
        var big = await server.Api.SendAsync(request);
        Assert.Contains("1024 KB", (await ProblemAsync(big, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var tag = Unique("grande");
        var csv = new StringBuilder("email;nombre;nota\n");
        for (var i = 0; csv.Length < 1_300_000; i++) csv.Append(FormattableString.Invariant($"{i}.{tag}@ejemplo.es;Persona {i};{new string('n', 40)}\n"));
        var imported = await server.Api.PostAsync($"api/v1/imports?consentSource=prueba&tag={tag}&checkDns=false", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.True((await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt64() > 10_000);
    }

    [Fact]
    public async Task An_uploaded_file_keeps_its_own_name_in_the_job_and_the_consent_record()
    {
        var list = Unique("nombre");
        await server.NewListAsync(list, doubleOptIn: false);
        var email = Unique("sub") + "@ejemplo.es";
        var content = new StringContent($"email\n{email}\n", Encoding.UTF8, "text/csv");
        content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = "clientes año 2026.csv" };

        var response = await server.Api.PostAsync($"api/v1/imports?list={list}&consentSource=feria&checkDns=false", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("clientes año 2026.csv", report.GetProperty("file").GetString());
        var contact = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts?segment={Uri.EscapeDataString($"email = \"{email}\"")}");
        var id = contact.GetProperty("data")[0].GetProperty("id").GetInt64();
        var consent = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{id}/consent");
        Assert.EndsWith(": clientes año 2026.csv]", consent[0].GetProperty("evidence").GetProperty("source").GetString(), StringComparison.Ordinal);

        // ?name= says it too; a path is cut to its last part.
        var named = await server.Api.PostAsync($"api/v1/imports?consentSource=feria&checkDns=false&name={Uri.EscapeDataString("C:\\datos\\altas.csv")}",
            new StringContent($"email\n{Unique("n")}@ejemplo.es\n", Encoding.UTF8, "text/csv"));
        Assert.Equal("altas.csv", (await named.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("file").GetString());

        // U+FFFE in the Content-Disposition's name (which .NET cannot normalise) was a 500; it is left out.
        var reversed = new StringContent($"email\n{Unique("r")}@ejemplo.es\n", Encoding.UTF8, "text/csv");
        reversed.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = "ba\uFFFEjas.csv" };
        var left = await server.Api.PostAsync($"api/v1/imports?consentSource=feria&checkDns=false", reversed);
        Assert.Equal(HttpStatusCode.Created, left.StatusCode);
        Assert.Equal("bajas.csv", (await left.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("file").GetString());
    }

    [Fact]
    public async Task A_csv_imported_through_the_api_is_counted_by_a_segment_and_exported()
    {
        var list = Unique("import");
        await server.NewListAsync(list, doubleOptIn: false);
        var tag = Unique("t");
        var csv = $"correo;nombre;pais\n1.{tag}@ejemplo.es;Uno;ES\n2.{tag}@ejemplo.es;Dos;PT\nroto;Tres;ES\n";
        var response = await server.Api.PostAsync(
            $"api/v1/imports?list={list}&consentSource={Uri.EscapeDataString("feria de Sevilla")}&tag={tag}&checkDns=false",
            new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("inserted").GetInt64());
        var issue = Assert.Single(report.GetProperty("issues").EnumerateArray());
        Assert.Equal(4, issue.GetProperty("row").GetInt64());
        Assert.Equal("rejected", issue.GetProperty("outcome").GetString());
        Assert.Equal(report.GetProperty("inserted").GetInt64(), (await server.Api.GetFromJsonAsync<JsonElement>(response.Headers.Location)).GetProperty("inserted").GetInt64());

        var count = await server.PostJsonAsync("api/v1/segments/count", new { expression = $"tag(\"{tag}\") and pais = \"ES\" and list(\"{list}\")" });
        Assert.Equal(1, count.GetProperty("count").GetInt64());

        var export = await server.Api.GetStringAsync($"api/v1/exports?list={list}&segment={Uri.EscapeDataString($"tag(\"{tag}\")")}&format=csv");
        var lines = export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("email,name,language,time_zone,tags,created,subscription_status", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"1.{tag}@ejemplo.es,Uno,", StringComparison.Ordinal) && l.Contains(",subscribed,", StringComparison.Ordinal));

        var jsonl = await server.Api.GetStringAsync($"api/v1/exports?segment={Uri.EscapeDataString($"tag(\"{tag}\")")}&format=jsonl");
        Assert.Equal(2, jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var excel = await server.Api.GetAsync($"api/v1/exports?list={list}&format=excel");
        Assert.Equal("text/csv", excel.Content.Headers.ContentType?.MediaType);
        var bytes = await excel.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        Assert.StartsWith("email;name;language;time_zone;tags;created;subscription_status", Encoding.UTF8.GetString(bytes.AsSpan(3)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_with_a_mistake_is_a_422_problem_that_points_at_the_position()
    {
        var response = await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression = "opened(within: 30) and tag(\"x\")" });

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(15, problem.GetProperty("position").GetInt32());
        Assert.Contains("duration", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saved_segments_are_dynamic()
    {
        var tag = Unique("seg");
        var saved = await server.PostJsonAsync("api/v1/segments", new { name = tag, expression = $"tag(\"{tag}\")" });
        Assert.Equal(0, saved.GetProperty("count").GetInt64());

        await server.PostJsonAsync("api/v1/contacts", new { email = $"s.{tag}@ejemplo.es", tags = new[] { tag } });

        var id = saved.GetProperty("id").GetInt64();
        Assert.Equal(1, (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/segments/{id}")).GetProperty("count").GetInt64());
        Assert.Single((await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/segments/{id}/contacts")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Suppression_is_added_read_refuses_subscription_and_lifted()
    {
        var email = Unique("sup") + "@ejemplo.es";
        var list = await server.NewListAsync(Unique("lista"), doubleOptIn: false);
        await server.PostJsonAsync("api/v1/suppression", new { email, reason = "complaint", note = "ARF" });

        Assert.Equal("complaint", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/suppression/{email}")).GetProperty("reason").GetString());
        await ProblemAsync(await server.Api.PostAsJsonAsync($"api/v1/lists/{list}/subscriptions", new { email }), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Api.DeleteAsync($"api/v1/suppression/{email}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await server.Api.PostAsJsonAsync($"api/v1/lists/{list}/subscriptions", new { email })).StatusCode);
    }

    [Fact]
    public async Task A_contact_is_exported_and_erased_for_gdpr()
    {
        var email = Unique("gdpr") + "@ejemplo.es";
        var list = await server.NewListAsync(Unique("lista"), doubleOptIn: false);
        var subscribed = await server.PostJsonAsync($"api/v1/lists/{list}/subscriptions", new { email, name = "Olga", ip = "198.51.100.4", userAgent = "Tienda/1.0" });
        var id = subscribed.GetProperty("contactId").GetInt64();
        await server.PostJsonAsync($"api/v1/contacts/{id}/events", new { kind = "converted", campaign = "rebajas" });

        var dossier = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{id}/export");
        Assert.Equal("Olga", dossier.GetProperty("contact").GetProperty("name").GetString());
        var record = Assert.Single(dossier.GetProperty("consentRecords").EnumerateArray());
        Assert.Equal("198.51.100.4", record.GetProperty("evidence").GetProperty("ip").GetString());
        Assert.Equal("api", record.GetProperty("evidence").GetProperty("kind").GetString());
        Assert.Equal("converted", Assert.Single(dossier.GetProperty("events").EnumerateArray()).GetProperty("kind").GetString());

        var erased = await server.Api.DeleteAsync($"api/v1/contacts/{id}");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        await ProblemAsync(await server.Api.GetAsync($"api/v1/contacts/{id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await server.Api.PostAsJsonAsync("api/v1/contacts", new { email }), HttpStatusCode.Conflict);
        var suppression = await server.Api.GetFromJsonAsync<JsonElement>("api/v1/suppression?limit=500");
        Assert.Contains(suppression.GetProperty("data").EnumerateArray(), e => e.GetProperty("reason").GetString() == "erased" && e.GetProperty("email").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var anonymous = server.Client(null);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("api/v1/openapi.json");

        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/contacts", "/api/v1/lists", "/api/v1/lists/{id}/subscriptions", "/api/v1/imports", "/api/v1/segments/count", "/api/v1/suppression" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.False(paths.TryGetProperty("/subscribe/{listId}", out _));
    }

    [Fact]
    public async Task The_openapi_document_says_what_the_api_sends_how_to_authenticate_and_how_errors_look()
    {
        using var anonymous = server.Client(null);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("api/v1/openapi.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        // Enums are the words the API sends and takes, not integers: a subscription's status as it comes back.
        var list = await (await server.Api.PostAsJsonAsync("api/v1/lists", new { name = Unique("openapi") })).Content.ReadFromJsonAsync<JsonElement>();
        var listId = list.GetProperty("id").GetInt64();
        var added = await server.Api.PostAsJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email = Unique("oa") + "@ejemplo.es" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var page = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/lists/{listId}/subscriptions");
        var sent = page.GetProperty("data")[0].GetProperty("status").GetString();
        var statuses = schemas.GetProperty("SubscriptionStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(sent, statuses);
        Assert.Equal(["unconfirmed", "subscribed", "unsubscribed", "bounced", "complained"], statuses);
        foreach (var name in new[] { "FieldType", "SuppressionReason", "AddressVerdict", "EngagementKind", "ConsentSourceKind" })
            Assert.All(schemas.GetProperty(name).GetProperty("enum").EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        // Every API operation names its scope and describes its errors as problem details; the others need no key.
        var operations = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var isApi = path.Name.StartsWith("/api/v1/", StringComparison.Ordinal);
                Assert.Equal(isApi, operation.Value.TryGetProperty("security", out var security));
                if (!isApi) continue;
                operations++;
                var scopes = security.EnumerateArray().Single().GetProperty("apiKey").EnumerateArray().Select(s => s.GetString()).ToList();
                Assert.Contains(Assert.Single(scopes), Estafeta.Web.Api.ApiScopes.All);
                var problem = operation.Value.GetProperty("responses").GetProperty("default").GetProperty("content").GetProperty("application/problem+json");
                Assert.Equal("#/components/schemas/ProblemDetails", problem.GetProperty("schema").GetProperty("$ref").GetString());
            }
        }
        Assert.True(operations >= 30, $"{operations} operations");
        var required = schemas.GetProperty("ProblemDetails").GetProperty("required").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(["type", "title", "status", "detail"], required);
    }
}
