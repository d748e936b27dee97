using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Estafeta.Cli;

namespace Estafeta.EndToEnd;

/// <summary>The verbs' JSON is written without the serializer for anonymous objects; it must read exactly as the
/// serializer (camelCase names, nulls kept, relaxed escaping, indented) would have written it.</summary>
public class CliJsonOutputTests
{
    private static readonly JsonSerializerOptions Serializer = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private enum Kind { Opened, Clicked }

    private sealed record Counts(long Subscribed, long? Unsubscribed, Kind Kind, TimeSpan Age);

    public static TheoryData<string> Cases() => ["anonymous", "list", "nested", "plain"];

    private static object Value(string name) => name switch
    {
        "anonymous" => new
        {
            expression = "país = \"ES\" and <opened>(within: 30d) & 'x'\n\ttab",
            count = 1_234_567L,
            milliseconds = 169.9,
            ratio = 1e-7,
            id = 42,
            ok = true,
            missing = (string?)null,
            maybe = (int?)7,
            at = new DateTimeOffset(2026, 11, 27, 3, 44, 10, 256, TimeSpan.Zero),
            local = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)),
            when = new DateTime(2026, 5, 6, 7, 8, 9, DateTimeKind.Utc),
            small = (short)3,
            price = 12.50m,
            kind = Kind.Clicked,
            scopes = new[] { "lists:read", "contacts:write" },
            numbers = new List<long> { 1, 2, 3 },
            counts = new Counts(9500, null, Kind.Opened, TimeSpan.FromMinutes(90)),
            byName = new Dictionary<string, int> { ["Uno"] = 1, ["dos"] = 2 },
            Upper = "named with a capital",
        },
        "list" => Enumerable.Range(1, 3).Select(i => new { id = i, name = $"segmento {i}", updated = (DateTimeOffset?)null }),
        "nested" => new { domain = "ejemplo.test", selectors = new[] { new { selector = "s1", state = "pending" } }, empty = Array.Empty<object>() },
        _ => "solo un texto",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_as_the_serializer_writes_it(string name)
    {
        var value = Value(name);
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), Serializer), Output.ToJson(value));
    }
}
