using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Estafeta.Marketing.Audience;

namespace Estafeta.EndToEnd.Audience;

/// <summary>
/// Random and malformed requests, from a fixed seed, over real HTTP to every operation the OpenAPI document names and
/// to the public consent pages. What must hold whatever is sent: never a 5xx, nothing logged as an error or with an
/// exception; every API 4xx is problem details whose detail says what is wrong; a refused request changes nothing; what
/// a write answers is what a read gives back; a page refuses a signed link that was altered and never acts on another
/// contact; no page redirects. ESTAFETA_FUZZ_ITERATIONS multiplies the rounds (default 1) for a longer hunt.
/// </summary>
public abstract class AudienceFuzzTests(AudienceServerFixture server) : IDisposable
{
    private const int Seed = 20261127;

    private static int Rounds => Estafeta.Testing.Fuzzing.Multiplier;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A key with every scope and the highest rate a key may have: the many rounds of a long run, each read
    /// before and after, go past the fixture key's limit.</summary>
    private HttpClient Admin { get; set; } = null!;

    public void Dispose()
    {
        Admin?.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed record Operation(string Method, string Path, string Scope, IReadOnlyList<string> Query);

    /// <summary>The items requests aim at, made once per test so that a refused request that changed one shows.</summary>
    private sealed record Watched(long Contact, long Other, long List, long DoubleList, long Segment, string Field, string Suppressed, string ListName, string Erased, string OtherEmail);

    private async Task<List<Operation>> OperationsAsync()
    {
        using var anonymous = server.Client(null);
        var doc = await anonymous.GetFromJsonAsync<JsonElement>("api/v1/openapi.json");
        var operations = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/v1/", StringComparison.Ordinal)) continue;
            foreach (var operation in path.Value.EnumerateObject())
            {
                var scope = operation.Value.GetProperty("security")[0].GetProperty("apiKey")[0].GetString()!;
                var query = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
                    : [];
                operations.Add(new Operation(operation.Name.ToUpperInvariant(), path.Name, scope, query));
            }
        }

        Assert.True(operations.Count >= 30, $"{operations.Count} operations");
        return operations;
    }

    private async Task<Watched> WatchedAsync()
    {
        var (_, secret) = await new Estafeta.Web.Api.ApiKeyStore(server.Host.Database).CreateAsync(Unique("fuzz"), ["*"], ratePerMinute: 1_000_000);
        Admin = server.Client(secret);
        var listName = Unique("Vigilada");
        var list = await server.NewListAsync(listName, doubleOptIn: false);
        var doubleList = await server.NewListAsync(Unique("Doble"), doubleOptIn: true);
        var field = Unique("campo").Replace('-', '_');
        await server.PostJsonAsync("api/v1/fields", new { name = field, type = "number" });
        var contact = (await server.PostJsonAsync($"api/v1/lists/{list}/subscriptions", new { email = Unique("vigilada") + "@ejemplo.es", name = "Ana", language = "es" }))
            .GetProperty("contactId").GetInt64();
        await server.PostJsonAsync("api/v1/contacts", new { email = Unique("otra") + "@ejemplo.es", tags = new[] { "vip" } });
        var otherEmail = Unique("vecina") + "@ejemplo.es";
        var other = (await server.PostJsonAsync($"api/v1/lists/{list}/subscriptions", new { email = otherEmail })).GetProperty("contactId").GetInt64();
        var erased = Unique("borrada") + "@ejemplo.es";
        await server.PostJsonAsync("api/v1/privacy/erasure", new { email = erased });
        var segment = (await server.PostJsonAsync("api/v1/segments", new { name = Unique("segmento"), expression = "tag(\"vip\")" })).GetProperty("id").GetInt64();
        var suppressed = Unique("suprimida") + "@ejemplo.es";
        await server.PostJsonAsync("api/v1/suppression", new { email = suppressed, reason = "manual" });
        return new Watched(contact, other, list, doubleList, segment, field, suppressed, listName, erased, otherEmail);
    }

    /// <summary>Everything a request could have changed, as the API reads it.</summary>
    private async Task<string> StateAsync(Watched w)
    {
        string[] reads =
        [
            "api/v1/contacts?limit=500", $"api/v1/contacts/{w.Contact}/subscriptions", $"api/v1/contacts/{w.Contact}/consent",
            $"api/v1/contacts/{w.Other}/subscriptions", $"api/v1/contacts/{w.Other}/consent", "api/v1/lists", "api/v1/segments", "api/v1/fields",
            "api/v1/suppression?limit=500", $"api/v1/lists/{w.List}/subscriptions?limit=500",
        ];
        var state = new StringBuilder();
        foreach (var read in reads)
        {
            using var response = await Admin.GetAsync(read);
            state.Append(read).Append(' ').Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
        }

        return state.ToString();
    }

    private void NothingLogged()
    {
        var logged = server.Failures.Entries;
        Assert.True(logged.Count == 0, "the server logged:\n" + string.Join("\n", logged.Take(5)));
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, string request)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{request}: {status} {text}");
        // The web server itself refuses a request line over 8 KB before any endpoint sees it.
        if (status < 400 || status == 414) return "";
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{request}: {status} as {response.Content.Headers.ContentType} {text}");
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), $"{request}: {text}");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), $"{request}: {text}");
        Assert.StartsWith("/api/v1/problems/", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        return detail!;
    }

    // Values that have broken servers: the empty, the long, control characters, NUL, bidi marks, astral letters, numbers
    // past every type's range, wrong kinds.
    private static readonly string[] Texts =
    [
        "", " ", "a\u0000b", "línea\nnueva\ttab", "\u202e\u200b", "😀ñ", "ANA@EJEMPLO.ES", "a@b", "@", "ana..b@ejemplo.es", "\"q\"@ejemplo.es",
        "es", "en", "xx", "klingon", "Europe/Madrid", "Mars/Base", "../../etc/passwd", "subscribed", "unsubscribed", "bounced", "manual", "erased",
        "converted", "opened", "text", "number", "choice", "tag(\"vip\")", "not list(\"x\")", "x = ", "(((((", "2026-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2026-13-45", "198.51.100.7", "::1", "999.1.1.1", "%00", "<script>alert(1)</script>", "'; DROP TABLE contacts;--",
    ];

    private static JsonNode? RandomValue(Random random, int depth = 0) => random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonNode.Parse(random.GetItems<string>(["0", "-1", "2147483648", "9223372036854775808", "-9223372036854775809", "1e400", "1.5", "-0.0", "123456789012345678901234567890"], 1)[0]),
        3 when depth < 2 => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))]),
        4 when depth < 2 => RandomObject(random, depth + 1),
        5 => JsonValue.Create(new string((char)random.Next('a', 'z' + 1), random.GetItems<int>([101, 256, 2001, 70_000], 1)[0])),
        6 => JsonValue.Create(new string([.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => (char)random.Next(1, 0x3000))])),
        _ => JsonValue.Create(Texts[random.Next(Texts.Length)]),
    };

    private static JsonObject RandomObject(Random random, int depth)
    {
        var o = new JsonObject();
        for (var i = random.Next(4); i > 0; i--) o[Texts[random.Next(Texts.Length)] + i.ToString(CultureInfo.InvariantCulture)] = RandomValue(random, depth);
        return o;
    }

    /// <summary>A body the operation takes, as a client that knows the API would send it.</summary>
    private static JsonObject? Template(Operation op, Watched w, Random random)
    {
        var email = random.Next(8) switch { 0 => w.Erased, 1 => w.OtherEmail, 2 => w.Suppressed, _ => $"f{random.Next(40)}@ejemplo.es" };
        return (op.Method, op.Path) switch
        {
            ("POST", "/api/v1/contacts") => new() { ["email"] = email, ["name"] = "Ana", ["language"] = "es", ["timeZone"] = "Europe/Madrid", ["fields"] = new JsonObject { [w.Field] = 5 }, ["tags"] = new JsonArray("t"), ["removeTags"] = new JsonArray("u") },
            ("PATCH", "/api/v1/contacts/{id}") => new() { ["email"] = email, ["name"] = "Bea", ["language"] = "en", ["fields"] = new JsonObject { [w.Field] = 6 }, ["tags"] = new JsonArray("v") },
            ("POST", "/api/v1/contacts/{id}/events") => new() { ["kind"] = "converted", ["campaign"] = "rebajas", ["at"] = "2026-01-01T00:00:00Z" },
            ("POST", "/api/v1/contacts/validate") => new() { ["email"] = email },
            ("POST", "/api/v1/fields") => new() { ["name"] = $"f{random.Next(5)}", ["type"] = "choice", ["choices"] = new JsonArray("a", "b") },
            ("POST", "/api/v1/lists") => new() { ["name"] = $"L{random.Next(1000)}", ["description"] = "d", ["doubleOptIn"] = false, ["fromAddress"] = "ana@ejemplo.test", ["consentText"] = "Acepto." },
            ("PATCH", "/api/v1/lists/{id}") => new() { ["name"] = $"L{random.Next(1000)}", ["description"] = "d", ["doubleOptIn"] = random.Next(2) == 0, ["fromAddress"] = "", ["consentText"] = "" },
            ("POST", "/api/v1/lists/{id}/subscriptions") => new() { ["email"] = email, ["name"] = "n", ["language"] = "en", ["fields"] = new JsonObject { [w.Field] = 1 }, ["consentText"] = "t", ["ip"] = "192.0.2.1", ["userAgent"] = "ua" },
            ("PUT", "/api/v1/lists/{id}/subscriptions/{contactId}") => new() { ["status"] = "subscribed" },
            ("POST", "/api/v1/segments") => new() { ["name"] = $"s{random.Next(5)}", ["expression"] = "tag(\"t\")" },
            ("POST", "/api/v1/segments/count") => new() { ["expression"] = $"tag(\"t\") or {w.Field} > 2" },
            ("POST", "/api/v1/suppression") => new() { ["email"] = $"sup{random.Next(5)}@ejemplo.es", ["reason"] = "manual", ["note"] = "n" },
            ("POST", "/api/v1/privacy/export") => new() { ["email"] = email },
            ("POST", "/api/v1/privacy/erasure") => new() { ["email"] = $"nadie{random.Next(5)}@ejemplo.es" },
            _ => null,
        };
    }

    private static JsonObject Mutated(JsonObject body, Random random)
    {
        var copy = (JsonObject)body.DeepClone();
        for (var i = random.Next(1, 3); i > 0 && copy.Count > 0; i--)
        {
            var name = copy.ElementAt(random.Next(copy.Count)).Key;
            switch (random.Next(6))
            {
                case 0: copy.Remove(name); break;
                case 1: copy[name] = new JsonArray([.. Enumerable.Range(0, random.Next(150)).Select(_ => (JsonNode?)JsonValue.Create(Texts[random.Next(Texts.Length)]))]); break;
                case 2: copy[name] = RandomObject(random, 1); break;
                default: copy[name] = RandomValue(random); break;
            }
        }

        return copy;
    }

    /// <summary>A body that is not what any operation takes, in one of the ways bodies go wrong.</summary>
    private static byte[] Broken(Random random) => random.Next(12) switch
    {
        0 => [],
        1 => Encoding.UTF8.GetBytes(new string('[', 2000)),
        2 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)),
        3 => [.. "{\"email\": \""u8, 0xFF, 0xFE, .. "@ejemplo.es\"}"u8],
        4 => [.. "{\""u8, 0xC3, .. "\": 1}"u8],
        5 => "{\"\\ud800\": 1, \"email\": \"a\\udc00@ejemplo.es\"}"u8.ToArray(),
        6 => "{\"email\": \"a@ejemplo.es\", \"email\": \"b@ejemplo.es\", \"EMAIL\": \"c@ejemplo.es\"}"u8.ToArray(),
        7 => "{\"name\": \"a\\u0000b\", \"description\": \"\\u0000\"}"u8.ToArray(),
        8 => "null"u8.ToArray(),
        9 => Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "[1,2]", 1 => "\"texto\"", _ => "12" }),
        10 => "{not json"u8.ToArray(),
        _ => Encoding.UTF8.GetBytes(RandomValue(random)?.ToJsonString() ?? "null"),
    };

    private static readonly string[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=latin1", "application/jsonx", "text/csv", "application/x-ndjson"];

    private static string PathId(Random random, Watched w, string segment) => random.Next(10) switch
    {
        < 6 => segment switch
        {
            "lists" => (random.Next(2) == 0 ? w.List : w.DoubleList).ToString(CultureInfo.InvariantCulture),
            "segments" => w.Segment.ToString(CultureInfo.InvariantCulture),
            "imports" => "1",
            _ => (random.Next(2) == 0 ? w.Contact : w.Other).ToString(CultureInfo.InvariantCulture),
        },
        _ => random.GetItems<string>(["0", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "abc", "1.5", "1e3", "%20", "01", "+1", "%E2%80%8B", "1%3B2", "%2F"], 1)[0],
    };

    private static string Query(Random random, Operation op, Watched w)
    {
        if (random.Next(3) == 0) return "";
        var names = op.Query.Count > 0 && random.Next(6) > 0 ? op.Query : ["limt", "page", "zzz", "LIMIT", new string('q', 3000)];
        var parts = new List<string>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var name = names[random.Next(names.Count)];
            string[] values = name.ToLowerInvariant() switch
            {
                "limit" => ["1", "500", "0", "-1", "501", "2147483648", "abc", "", "1.0"],
                "cursor" => ["aWQ6MQ", "aWQ6LTE", "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk", "aWQ6", "_-_-", "%FF", "nonsense!", new string('A', 5000)],
                "segment" => ["tag(%22vip%22)", "vip", Uri.EscapeDataString(new string('(', 300)), "a%00b", ""],
                "status" => ["subscribed", "x", ""],
                "force" or "checkdns" => ["true", "false", "maybe", "1"],
                "format" => ["csv", "jsonl", "excel", "xml"],
                "list" => [Uri.EscapeDataString(w.ListName), w.List.ToString(CultureInfo.InvariantCulture), "99999", "%C3%B1"],
                "since" => ["2026-01-01", "9999-12-31T23:59:59Z", "ayer", "0001-01-01T00:00:00%2B14:00"],
                _ => ["x", "", "%00", "%FF%FE", "a=b"],
            };
            var pair = name + "=" + values[random.Next(values.Length)];
            parts.Add(random.Next(10) == 0 ? name : pair);
        }

        return "?" + string.Join('&', parts);
    }

    [Fact]
    public async Task Fuzz_every_api_operation_answers_random_requests_with_problem_details_and_a_refusal_changes_nothing()
    {
        var operations = await OperationsAsync();
        var w = await WatchedAsync();
        var (_, reader) = await new Estafeta.Web.Api.ApiKeyStore(server.Host.Database).CreateAsync("fuzz-lectura", ["contacts:read"], ratePerMinute: 100_000);
        using var readOnly = server.Client(reader);
        using var anonymous = server.Client(null);
        using var forged = server.Client("est_00000000_" + new string('a', 64));
        server.Failures.Clear();
        var random = new Random(Seed);

        for (var round = 0; round < 4 * Rounds; round++)
        {
            foreach (var op in operations)
            {
                if (op.Method == "DELETE" && op.Path == "/api/v1/contacts/{id}" && random.Next(5) > 0) continue;
                var path = string.Join('/', op.Path.Split('/').Select((part, i) => part switch
                {
                    "{id}" or "{contactId}" => PathId(random, w, op.Path.Split('/')[3]),
                    "{name}" => random.Next(2) == 0 ? w.Field : Uri.EscapeDataString(Texts[random.Next(Texts.Length)].Replace("\0", "", StringComparison.Ordinal)) is { Length: > 0 } t ? t : "x",
                    "{email}" => random.Next(2) == 0 ? w.Suppressed : Uri.EscapeDataString(Texts[random.Next(Texts.Length)].Replace("\0", "", StringComparison.Ordinal)) is { Length: > 0 } e ? e : "x",
                    _ => part,
                }))[1..] + Query(random, op, w);
                using var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
                string? sent = null;
                if (op.Method is "POST" or "PUT" or "PATCH" || random.Next(10) == 0)
                {
                    byte[] body;
                    if (op.Path == "/api/v1/imports")
                    {
                        body = Encoding.UTF8.GetBytes(random.Next(2) == 0
                            ? $"email;nombre;{w.Field}\nf{random.Next(40)}@ejemplo.es;{Texts[random.Next(Texts.Length)].Replace("\0", "", StringComparison.Ordinal)};{random.GetItems<string>(["1", "x", "1e400", ""], 1)[0]}\n"
                            : Encoding.UTF8.GetString(Broken(random)));
                    }
                    else
                    {
                        body = Template(op, w, random) is { } template && random.Next(6) > 0
                            ? Encoding.UTF8.GetBytes((random.Next(6) == 0 ? template : Mutated(template, random)).ToJsonString())
                            : Broken(random);
                    }

                    sent = Encoding.UTF8.GetString(body);
                    request.Content = new ByteArrayContent(body);
                    var type = random.Next(4) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : op.Path == "/api/v1/imports" ? "text/csv" : "application/json";
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                }

                if (op.Method == "POST" && random.Next(5) == 0) request.Headers.TryAddWithoutValidation("Idempotency-Key", random.Next(8) == 0 ? new string('k', 300) : Guid.NewGuid().ToString());
                var client = random.Next(20) switch { 0 => anonymous, 1 => forged, 2 => readOnly, _ => Admin };
                var described = $"{op.Method} {(path.Length > 300 ? path[..300] + "…" : path)} key={(client == Admin ? "all" : client == readOnly ? "contacts:read" : "none")} body={sent?[..Math.Min(sent.Length, 300)]}";
                var before = op.Method == "GET" ? null : await StateAsync(w);

                using var response = await client.SendAsync(request);

                var detail = await ProblemDetailAsync(response, described);
                var status = (int)response.StatusCode;
                // Routing answers first for a path no endpoint has (404), another method (405) or a body not JSON (415), and the
                // web server for a request line too long (414).
                var routed = status is 405 or 414 or 415 || detail.StartsWith("there is no such API endpoint", StringComparison.Ordinal);
                if (client == anonymous || client == forged) Assert.True(status == 401 || routed, $"{described}: {status} {detail}");
                if (client == readOnly && op.Scope != "contacts:read") Assert.True(status == 403 || routed, $"{described}: {status} {detail}");
                if (status == 403) Assert.Contains(op.Scope, detail, StringComparison.Ordinal);
                if (before is not null && status >= 400) Assert.Equal(before, await StateAsync(w));
                if (status is 200 or 201 && op.Method is "POST" or "PATCH" && op.Path is "/api/v1/contacts" or "/api/v1/contacts/{id}" or "/api/v1/lists" or "/api/v1/lists/{id}" or "/api/v1/segments")
                    await ReadsBackAsync(op.Path.Split('/')[3], await response.Content.ReadFromJsonAsync<JsonElement>(), described);
            }
        }

        NothingLogged();
    }

    /// <summary>What a write answered is what a read of the same item gives.</summary>
    private async Task ReadsBackAsync(string collection, JsonElement written, string described)
    {
        var read = await Admin.GetFromJsonAsync<JsonElement>($"api/v1/{collection}/{written.GetProperty("id").GetInt64()}");
        foreach (var member in written.EnumerateObject())
        {
            // Computed when asked (a segment's count, a list's counts, warnings) rather than stored.
            if (member.Name is "count" or "counts" or "warnings") continue;
            Assert.True(read.TryGetProperty(member.Name, out var value) && value.GetRawText() == member.Value.GetRawText(),
                $"{described}: {member.Name} was answered {member.Value.GetRawText()}, read back {(read.TryGetProperty(member.Name, out var v) ? v.GetRawText() : "missing")}");
        }
    }

    [Fact]
    public async Task Fuzz_an_idempotency_key_replays_its_first_answer_and_refuses_another_body_without_changing_anything()
    {
        var w = await WatchedAsync();
        server.Failures.Clear();
        var random = new Random(Seed + 1);
        for (var round = 0; round < 6 * Rounds; round++)
        {
            var key = Guid.NewGuid().ToString();
            var (path, first, second) = random.Next(4) switch
            {
                0 => ("api/v1/lists", (object)new { name = Unique("idem") }, (object)new { name = Unique("otra") }),
                1 => ("api/v1/contacts", new { email = Unique("idem") + "@ejemplo.es" }, new { email = Unique("otra") + "@ejemplo.es" }),
                2 => ($"api/v1/lists/{w.List}/subscriptions", new { email = Unique("idem") + "@ejemplo.es" }, new { email = Unique("otra") + "@ejemplo.es" }),
                _ => ("api/v1/suppression", new { email = Unique("idem") + "@ejemplo.es", reason = "manual" }, new { email = Unique("otra") + "@ejemplo.es" }),
            };
            HttpRequestMessage Post(object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

            using var answer = await Admin.SendAsync(Post(first));
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, $"{path}: {(int)answer.StatusCode} {text}");
            var state = await StateAsync(w);
            using var replay = await Admin.SendAsync(Post(first));
            Assert.Equal(answer.StatusCode, replay.StatusCode);
            Assert.Equal(text, await replay.Content.ReadAsStringAsync());
            Assert.Equal("true", replay.Headers.GetValues("Idempotency-Replayed").Single());
            using var other = await Admin.SendAsync(Post(second));
            Assert.Contains("different request", await ProblemDetailAsync(other, path), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
            Assert.Equal(state, await StateAsync(w));
        }

        NothingLogged();
    }

    /// <summary>A random segment expression after the grammar of docs/segments.md, with numbers, durations and dates
    /// at and past the edges of what they can hold.</summary>
    private static string Expression(Random random, Watched w, string[] fields, int depth = 0)
    {
        string Pick(params string[] choices) => choices[random.Next(choices.Length)];
        string Number() => Pick("0", "1.5", "007", ".5", "5.", "1e308", "99999999999999999999", "9223372036854775808");
        string Duration() => Number() + Pick("s", "m", "h", "d", "w", "y", "");
        string Text() => JsonSerializer.Serialize(Pick("", "a", "ñ", "%", "_", "\\", "'", "a\"b", "ÁVILA", "oro", "2026-01-01", "0000-00-00", new string('x', 300)));
        string Value()
        {
            var value = Pick(Text(), Number(), "-" + Number(), "2026-01-31", "9999-12-31", "0001-01-01", "2026-02-30", "true", "false", "now()", "today()");
            for (var i = random.Next(3); i > 0; i--) value += Pick(" + ", " - ") + Duration();
            return value;
        }

        string Atom() => random.Next(depth < 4 ? 9 : 8) switch
        {
            0 => $"tag({Text()})",
            1 => $"list({(random.Next(2) == 0 ? JsonSerializer.Serialize(w.ListName) : Text())}{Pick("", ", status: \"unconfirmed\"", ", status: \"x\"")})",
            2 => $"exists({Pick(fields)})",
            3 => $"{Pick("opened", "clicked", "converted", "bounced", "received")}({string.Join(", ", Enumerable.Range(0, random.Next(3)).Select(_ => Pick("within: " + Duration(), "since: " + Value(), "before: " + Value(), "campaign: " + Text())))}){Pick("", " >= " + Number(), " = 0", " < " + Number())}",
            4 => $"{Pick(fields)} {Pick("", "not ")}in ({string.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => Value()))})",
            5 => $"{Pick(fields)} contains {Text()}",
            6 => Pick(fields),
            7 => $"{Pick(fields)} {Pick("=", "!=", "<>", "<", "<=", ">", ">=")} {Value()}",
            _ => $"({Expression(random, w, fields, depth + 1)})",
        };

        var expression = (random.Next(5) == 0 ? "not " : "") + Atom();
        for (var i = random.Next(3); i > 0; i--) expression += Pick(" and ", " or ") + (random.Next(5) == 0 ? "not " : "") + Atom();
        return expression;
    }

    [Fact]
    public async Task Fuzz_segment_expressions_are_counted_listed_exported_or_refused_at_their_mistake()
    {
        var w = await WatchedAsync();
        var suffix = Unique("").Replace("-", "_", StringComparison.Ordinal);
        var fields = new List<string> { "email", "name", "language", "time_zone", "domain", "validation", "created", "updated", w.Field, "zz" };
        foreach (var type in new[] { "date", "boolean", "text" })
        {
            await Admin.PostAsJsonAsync("api/v1/fields", new { name = type + suffix, type });
            fields.Add(type + suffix);
        }

        await Admin.PostAsJsonAsync("api/v1/fields", new { name = "nivel" + suffix, type = "choice", choices = new[] { "oro", "plata" } });
        fields.Add("nivel" + suffix);
        server.Failures.Clear();
        var random = new Random(Seed + 3);
        for (var round = 0; round < 150 * Rounds; round++)
        {
            var expression = Expression(random, w, [.. fields]);
            using var response = random.Next(3) switch
            {
                0 => await Admin.PostAsJsonAsync("api/v1/segments/count", new { expression }),
                1 => await Admin.GetAsync("api/v1/contacts?limit=5&segment=" + Uri.EscapeDataString(expression)),
                _ => await Admin.GetAsync("api/v1/exports?format=csv&segment=" + Uri.EscapeDataString(expression)),
            };
            var detail = await ProblemDetailAsync(response, expression);
            if ((int)response.StatusCode >= 400)
            {
                // A mistake in the expression (422), or a bare word taken as the name of a saved segment there is not (404).
                Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound, $"{expression}: {(int)response.StatusCode} {detail}");
            }
        }

        NothingLogged();
    }

    /// <summary>A signed token altered in one of the ways a link gets altered, or by someone guessing.</summary>
    private static string Tampered(string token, Random random)
    {
        var parts = token.Split('-');
        switch (random.Next(8))
        {
            case 0: return token[..random.Next(1, token.Length - 1)];
            case 1:
                var i = random.Next(token.Length);
                var c = "0123456789abcdef-"[random.Next(17)];
                return token[..i] + (c == token[i] ? (c == '0' ? '1' : '0') : c) + token[(i + 1)..];
            case 2: return token + random.GetItems<string>(["0", "-", "-0", "%C3%B1", "%20"], 1)[0];
            case 3: return "cupf".Replace(token[0].ToString(), "", StringComparison.Ordinal)[random.Next(3)] + token[1..];
            case 4: parts[0] = parts[0][0] + (long.Parse(parts[0][1..], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture); return string.Join('-', parts);
            case 5: parts[1] = (long.Parse(parts[1], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture); return string.Join('-', parts);
            case 6: parts[2] = parts[2] == "0" ? (random.Next(2) == 0 ? "1" : "99999999999999999999") : "0"; return string.Join('-', parts);
            default: return new string('a', random.GetItems<int>([32, 119, 121, 5000], 1)[0]);
        }
    }

    private static void IsClearPage(HttpResponseMessage response, string html, string described)
    {
        var status = (int)response.StatusCode;
        Assert.True(status < 500, $"{described}: {status} {html}");
        Assert.True(status is < 300 or >= 400, $"{described}: redirected to {response.Headers.Location}");
        Assert.Null(response.Headers.Location);
        Assert.False(string.IsNullOrWhiteSpace(html), $"{described}: {status} with an empty body");
    }

    [Fact]
    public async Task Fuzz_the_consent_pages_refuse_altered_links_and_unreadable_forms_and_never_fail_or_redirect()
    {
        var w = await WatchedAsync();
        var tokens = server.Tokens;
        var forms = new List<long>();
        for (var i = 0; i < 3; i++) forms.Add(await server.NewListAsync(Unique("Formulario"), doubleOptIn: i == 2));
        using var anonymous = server.Client(null);
        server.Failures.Clear();
        var random = new Random(Seed + 2);
        string[] redirects = ["", "?next=https://malo.example/", "?redirect=//malo.example", "?returnUrl=https:%2F%2Fmalo.example", "?lang=es&lang=en", "?embed=1", "?url=javascript:alert(1)"];

        for (var round = 0; round < 60 * Rounds; round++)
        {
            var query = redirects[random.Next(redirects.Length)];
            var state = await StateAsync(w);
            string path;
            HttpContent? content = null;
            var tampered = false;
            var kind = random.Next(4);
            if (kind == 0)
            {
                var list = forms[random.Next(forms.Count)];
                path = random.Next(8) switch { 0 => $"subscribe/{list}/embed", 1 => "subscribe/99999999/embed", 2 => "subscribe/abc", 3 => "subscribe/99999999999999999999", _ => $"subscribe/{list}" };
                var fields = new List<KeyValuePair<string, string>>();
                var stamp = tokens.Create(TokenPurpose.Form, 0, list, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(8) + TimeSpan.FromDays(1));
                foreach (var (name, value) in new (string, string)[]
                {
                    ("email", random.Next(4) == 0 ? Texts[random.Next(Texts.Length)] : $"form{random.Next(1000)}@ejemplo.es"), ("name", Texts[random.Next(Texts.Length)]),
                    ("language", Texts[random.Next(Texts.Length)]), ("website", random.Next(6) == 0 ? "http://spam.example" : ""), ("consent", random.Next(6) == 0 ? "no" : "yes"),
                    ("ts", random.Next(4) == 0 ? Tampered(stamp, random) : stamp), ("shown", random.Next(2) == 0 ? "es" : Texts[random.Next(Texts.Length)]),
                })
                {
                    if (random.Next(8) > 0) fields.Add(new(name, value));
                }

                content = FormBody(fields, random);
            }
            else
            {
                var (purpose, route) = kind switch { 1 => (TokenPurpose.Confirm, "confirm"), 2 => (TokenPurpose.Unsubscribe, "unsubscribe"), _ => (TokenPurpose.Preferences, "preferences") };
                var token = tokens.Create(purpose, w.Other, purpose == TokenPurpose.Preferences ? 0 : w.List, purpose == TokenPurpose.Confirm ? DateTimeOffset.UtcNow.AddDays(1) : null);
                // Links of another contact, altered to reach the watched one, must never act.
                tampered = random.Next(3) > 0;
                path = $"{route}/{(tampered ? Tampered(token, random) : token)}";
                if (random.Next(3) > 0)
                {
                    content = FormBody([new("List-Unsubscribe", "One-Click"), new("list", w.DoubleList.ToString(CultureInfo.InvariantCulture)), new("language", "en"), new("pause", "30")], random);
                }
            }

            var method = random.Next(12) switch { < 3 => HttpMethod.Get, 3 => HttpMethod.Put, _ => HttpMethod.Post };
            using var request = new HttpRequestMessage(method, path + query) { Content = method == HttpMethod.Get ? null : content };
            var described = $"{method} {path}{query} {(content is null ? "" : content.Headers.ContentType + " " + (await content.ReadAsStringAsync())[..Math.Min(300, (int)(content.Headers.ContentLength ?? 0))])}";

            using var response = await anonymous.SendAsync(request);

            var html = await response.Content.ReadAsStringAsync();
            IsClearPage(response, html, described);
            if (tampered) Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{described}: {(int)response.StatusCode} for an altered link");
            if ((int)response.StatusCode >= 400 || method == HttpMethod.Get) Assert.Equal(state, await StateAsync(w));
            if (kind > 0 && !tampered && method == HttpMethod.Post && response.IsSuccessStatusCode)
            {
                // The link did what it says: put the other contact back for the next round.
                await Admin.PutAsJsonAsync($"api/v1/lists/{w.List}/subscriptions/{w.Other}", new { status = "subscribed" });
                await Admin.PatchAsJsonAsync($"api/v1/contacts/{w.Other}", new { language = "es" });
            }
        }

        NothingLogged();
    }

    // The requests the fuzzing found, each the smallest that showed its failure.

    private async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string request)
    {
        Assert.Equal(status, response.StatusCode);
        return await ProblemDetailAsync(response, request);
    }

    [Fact]
    public async Task A_query_value_its_parameter_cannot_take_is_a_problem_naming_it()
    {
        // Each was a 400 with an empty body, the binder's, with nothing to say which parameter or why.
        server.Failures.Clear();
        Assert.Equal("the query parameter 'limit' takes a whole number, not 'abc'",
            await ProblemAsync(await server.Api.GetAsync("api/v1/contacts?limit=abc"), HttpStatusCode.BadRequest, "limit=abc"));
        Assert.Equal("the query parameter 'limit' is given 2 times; give it once",
            await ProblemAsync(await server.Api.GetAsync("api/v1/suppression?limit=1&LIMIT=2"), HttpStatusCode.BadRequest, "limit twice"));
        Assert.Equal("the query parameter 'force' takes true or false, not 'maybe'",
            await ProblemAsync(await server.Api.DeleteAsync("api/v1/fields/nada?force=maybe"), HttpStatusCode.BadRequest, "force=maybe"));
        Assert.Contains("'since' takes a date and time",
            await ProblemAsync(await server.Api.GetAsync("api/v1/engagement/totals?since=ayer"), HttpStatusCode.BadRequest, "since=ayer"), StringComparison.Ordinal);
        Assert.Equal("the query parameter 'format' is given 2 times; give it once",
            await ProblemAsync(await server.Api.GetAsync("api/v1/exports?format=csv&format=jsonl"), HttpStatusCode.BadRequest, "format twice"));
        NothingLogged();
    }

    private Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return server.Api.PostAsync(path, content);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_or_holds_half_a_surrogate_pair_is_a_400_problem()
    {
        // A member name of either kind failed in the middle of reading the body: a 500 and an exception in the log.
        server.Failures.Clear();
        Assert.Equal("the body is not valid UTF-8 (byte 2); send JSON in UTF-8",
            await ProblemAsync(await PostBytesAsync("api/v1/contacts", [.. "{\""u8, 0xFF, .. "\": 1}"u8]), HttpStatusCode.BadRequest, "0xFF name"));
        Assert.Contains("half a surrogate pair",
            await ProblemAsync(await PostBytesAsync("api/v1/lists", "{\"\\ud800\": 1}"u8.ToArray()), HttpStatusCode.BadRequest, "\\ud800 name"), StringComparison.Ordinal);
        Assert.Contains("half a surrogate pair",
            await ProblemAsync(await PostBytesAsync("api/v1/lists", "{\"name\": \"a\\udc00\"}"u8.ToArray()), HttpStatusCode.BadRequest, "\\udc00 value"), StringComparison.Ordinal);
        NothingLogged();
    }

    [Fact]
    public async Task A_member_given_twice_is_refused_instead_of_its_last_value_being_taken()
    {
        var first = Unique("primera");
        var second = Unique("segunda");
        Assert.Contains("Duplicate property 'name'",
            await ProblemAsync(await PostBytesAsync("api/v1/lists", Encoding.UTF8.GetBytes($"{{\"name\": \"{first}\", \"name\": \"{second}\"}}")), HttpStatusCode.BadRequest, "name twice"),
            StringComparison.Ordinal);
        Assert.Equal("the body gives the member 'name' twice (as 'name' and 'Name'); give it once",
            await ProblemAsync(await PostBytesAsync("api/v1/lists", Encoding.UTF8.GetBytes($"{{\"name\": \"{first}\", \"Name\": \"{second}\"}}")), HttpStatusCode.BadRequest, "name and Name"));
        var lists = await server.Api.GetStringAsync("api/v1/lists");
        Assert.DoesNotContain(first, lists, StringComparison.Ordinal);
        Assert.DoesNotContain(second, lists, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_sent_for_a_text_field_is_kept_as_written()
    {
        // Read through a double, 12345678901234567890 was kept as "1.2345678901234567E+19" and 1e400 as "Infinity".
        var body = $"{{\"email\": \"{Unique("numeros")}@ejemplo.es\", \"fields\": {{\"codigo_socio\": 12345678901234567890, \"enorme\": 1e400}}}}";
        using var created = await PostBytesAsync("api/v1/contacts", Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var fields = (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{id}")).GetProperty("fields");
        Assert.Equal("12345678901234567890", fields.GetProperty("codigo_socio").GetString());
        Assert.Equal("1e400", fields.GetProperty("enorme").GetString());
    }

    [Theory]
    [InlineData("\\u0000", "%00", "U+0000")]
    [InlineData("\\ufffe", "%EF%BF%BE", "U+FFFE")]
    public async Task A_character_no_stored_text_holds_in_a_body_or_a_query_value_is_a_400_problem(string jsonEscape, string queryEscape, string shown)
    {
        // PostgreSQL cannot hold U+0000 in text, and .NET cannot normalise U+FFFE: a list's description or name, a tag, a
        // segment or a campaign with either was a 500 (SQLite kept the NUL).
        server.Failures.Clear();
        var name = Unique("mal");
        Assert.Contains(shown,
            await ProblemAsync(await PostBytesAsync("api/v1/lists", Encoding.UTF8.GetBytes($"{{\"name\": \"{name}{jsonEscape}\", \"description\": \"a{jsonEscape}b\"}}")), HttpStatusCode.BadRequest, "list"),
            StringComparison.Ordinal);
        Assert.Contains(shown, await ProblemAsync(await server.Api.GetAsync($"api/v1/engagement/totals?campaign=a{queryEscape}b"), HttpStatusCode.BadRequest, "campaign"), StringComparison.Ordinal);
        Assert.StartsWith($"the query parameter 'segment' holds the {(shown == "U+0000" ? "character" : "noncharacter")} {shown}",
            await ProblemAsync(await server.Api.GetAsync($"api/v1/contacts?segment=tag(%22a{queryEscape}b%22)"), HttpStatusCode.BadRequest, "segment"), StringComparison.Ordinal);
        Assert.DoesNotContain(name, await server.Api.GetStringAsync("api/v1/lists"), StringComparison.Ordinal);
        NothingLogged();
    }

    [Fact]
    public async Task An_imported_row_with_half_a_surrogate_pair_or_a_nul_character_is_rejected_alone()
    {
        // The surrogate failed the whole import with a 500; U+0000 (a JSON escape, or a UTF-16 file) did on PostgreSQL.
        server.Failures.Clear();
        var good = Unique("buena") + "@ejemplo.es";
        var lines = $"{{\"email\": \"{Unique("mitad")}@ejemplo.es\", \"nota\": \"a\\ud800\"}}\n{{\"email\": \"{Unique("nul")}@ejemplo.es\", \"nota\": \"a\\u0000b\"}}\n{{\"email\": \"{good}\"}}\n";
        using var jsonLines = await server.Api.PostAsync("api/v1/imports?consentSource=prueba&checkDns=false&format=jsonl", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"));
        var report = await jsonLines.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(jsonLines.StatusCode == HttpStatusCode.Created, report.ToString());
        Assert.Equal((1, 2), (report.GetProperty("inserted").GetInt64(), report.GetProperty("rejected").GetInt64()));
        Assert.Equal(["a string is not valid Unicode: a \\u escape of half a surrogate pair without the other half", "a value or column name holds the character U+0000 (NUL), which no stored text may hold"],
            report.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("reason").GetString()));

        var utf16 = new ByteArrayContent([.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes($"email;nota\r\n{Unique("utf16")}@ejemplo.es;a\0b\r\n")]);
        utf16.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var csv = await server.Api.PostAsync("api/v1/imports?consentSource=prueba&checkDns=false", utf16);
        var rejected = await csv.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(csv.StatusCode == HttpStatusCode.Created, rejected.ToString());
        Assert.Equal(1, rejected.GetProperty("rejected").GetInt64());
        NothingLogged();
    }

    [Fact]
    public async Task A_duration_or_date_past_what_a_date_can_hold_is_a_segment_mistake_at_its_place()
    {
        // Each failed the request with an overflow: a 500 and an exception in the log.
        server.Failures.Clear();
        foreach (var (expression, at, says) in new[]
        {
            ("opened(within: 99999999999d)", 15, "longer than any span between two dates"),
            ("created > now() + 400000w + 400000w", 26, "go beyond any date"),
            ("created > 0001-01-01 - 1d", 10, "before the year 1 or after 9999"),
        })
        {
            using var response = await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression });
            Assert.Contains(says, await ProblemAsync(response, HttpStatusCode.UnprocessableEntity, expression), StringComparison.Ordinal);
            using var again = await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression });
            Assert.Equal(at, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("position").GetInt32());
        }

        // A window reaching back before the first date there is takes in every event.
        using var all = await server.Api.PostAsJsonAsync("api/v1/segments/count", new { expression = "opened(within: 200000w) or not opened()" });
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        NothingLogged();
    }

    [Fact]
    public async Task A_refused_change_of_a_contact_leaves_its_address_as_it_was()
    {
        // The new address was written first and on its own: a 409 for an erased address, or a 422 for the language,
        // left the contact with the new address (an erased person's, in the first case).
        var w = await WatchedAsync();
        var before = await server.Api.GetStringAsync($"api/v1/contacts/{w.Contact}");

        await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/contacts/{w.Contact}", new { email = w.Erased, name = "Otra" }), HttpStatusCode.Conflict, "erased");
        await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/contacts/{w.Contact}", new { email = Unique("nueva") + "@ejemplo.es", language = "klingon" }), HttpStatusCode.UnprocessableEntity, "language");
        await ProblemAsync(await server.Api.PatchAsJsonAsync($"api/v1/contacts/{w.Contact}", new { email = w.OtherEmail }), HttpStatusCode.Conflict, "taken");

        Assert.Equal(before, await server.Api.GetStringAsync($"api/v1/contacts/{w.Contact}"));
        var moved = Unique("movida") + "@ejemplo.es";
        using var changed = await server.Api.PatchAsJsonAsync($"api/v1/contacts/{w.Contact}", new { email = moved, name = "Otra" });
        var contact = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((moved, "Otra"), (contact.GetProperty("email").GetString(), contact.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_consent_page_path_or_method_that_has_no_page_answers_with_a_line_saying_so()
    {
        // Routing's own 404 and 405 had an empty body: a blank page to a person following a link.
        using var anonymous = server.Client(null);
        foreach (var (method, path, status, says) in new[]
        {
            (HttpMethod.Get, "subscribe/abc", HttpStatusCode.NotFound, "no such page"),
            (HttpMethod.Get, "subscribe/99999999/embed", HttpStatusCode.NotFound, "no such page"),
            (HttpMethod.Get, "unsubscribe/", HttpStatusCode.NotFound, "no such page"),
            (HttpMethod.Put, "unsubscribe/u1-1-0-00", HttpStatusCode.MethodNotAllowed, "takes GET, POST, not PUT"),
        })
        {
            using var response = await anonymous.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(status, response.StatusCode);
            Assert.Contains(says, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_form_the_pages_cannot_read_is_a_400_page_and_changes_nothing()
    {
        // Each failed with a 500 and an exception in the log; the preference centre also read a body that was not its
        // form as "no list ticked" and unsubscribed the contact from every list.
        var w = await WatchedAsync();
        using var anonymous = server.Client(null);
        server.Failures.Clear();
        var state = await StateAsync(w);
        var noBoundary = new StringContent("email=x@ejemplo.es", Encoding.UTF8);
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        var tooMany = new StringContent(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"a{i}=1")), Encoding.UTF8, "application/x-www-form-urlencoded");
        var json = new StringContent("{\"language\": \"en\"}", Encoding.UTF8, "application/json");

        var subscribe = await anonymous.PostAsync($"subscribe/{w.List}", noBoundary);
        var unsubscribe = await anonymous.PostAsync(server.Audience.Links.Unsubscribe(w.Contact, w.List), tooMany);
        var preferences = await anonymous.PostAsync(server.Audience.Links.Preferences(w.Contact), json);

        foreach (var response in new[] { subscribe, unsubscribe, preferences })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("could not be read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(state, await StateAsync(w));
        NothingLogged();
    }

    /// <summary>The fields as a browser or a sender would post them, or as one that gets forms wrong.</summary>
    private static HttpContent FormBody(List<KeyValuePair<string, string>> fields, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                var multipart = new MultipartFormDataContent();
                foreach (var (name, value) in fields) multipart.Add(new StringContent(value), name);
                return multipart;
            case 1:
                var broken = new StringContent("--zz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx", Encoding.UTF8);
                broken.Headers.ContentType = MediaTypeHeaderValue.Parse(random.Next(2) == 0 ? "multipart/form-data" : "multipart/form-data; boundary=zz");
                return broken;
            case 2:
                return new StringContent(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"a{i}=1")), Encoding.UTF8, "application/x-www-form-urlencoded");
            case 3:
                return new StringContent(new string('k', 2100) + "=1", Encoding.UTF8, "application/x-www-form-urlencoded");
            case 4:
                return new StringContent(random.Next(2) == 0 ? "%ZZ=%%%&=&&==" : "{\"email\": \"x@ejemplo.es\"}", Encoding.UTF8, random.Next(2) == 0 ? "application/json" : "application/x-www-form-urlencoded");
            default:
                return new FormUrlEncodedContent(fields);
        }
    }
}

public sealed class AudienceFuzzOnSqlite(AudienceServerFixture server) : AudienceFuzzTests(server), IClassFixture<AudienceServerFixture>;

public sealed class AudienceFuzzOnPostgres(PostgresAudienceServerFixture server) : AudienceFuzzTests(server), IClassFixture<PostgresAudienceServerFixture>;
