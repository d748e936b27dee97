using System.Globalization;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// The MTA's product settings (database table <c>outbound_settings</c>, <c>estafeta queue settings</c>): message
/// lifetime, when the delay notice goes out, the retry schedule, and default connection limits. Each has a default;
/// values are seconds or whole numbers.
/// </summary>
public sealed record DeliverySettings
{
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(5);
    public TimeSpan DelayNotice { get; init; } = TimeSpan.FromHours(4);
    public TimeSpan RetryFirst { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(2);
    public int MaxConnectionsPerDestination { get; init; } = 10;
    public int MaxConnections { get; init; } = 100;
    public int MessagesPerConnection { get; init; } = 1000;

    /// <summary>Names, defaults and meaning, as the CLI shows them.</summary>
    public static readonly IReadOnlyList<(string Name, string Default, string Help)> Names =
    [
        ("lifetime", "432000", "Seconds a message may stay queued before it bounces (5 days)"),
        ("delay-notice", "14400", "Seconds before the sender gets a delay notice (4 hours)"),
        ("retry-first", "300", "Seconds before the first retry; each later retry waits twice as long"),
        ("retry-max", "7200", "Longest wait between retries, in seconds"),
        ("max-connections-per-destination", "10", "Concurrent connections to one destination (unless a limit says otherwise)"),
        ("max-connections", "100", "Concurrent outbound connections in all"),
        ("messages-per-connection", "1000", "Messages sent over one connection before it is closed"),
    ];

    public static DeliverySettings From(IReadOnlyDictionary<string, string> values)
    {
        TimeSpan Seconds(string name, TimeSpan fallback) =>
            values.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s >= 0 ? TimeSpan.FromSeconds(s) : fallback;
        int Number(string name, int fallback) =>
            values.TryGetValue(name, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
        var d = new DeliverySettings();
        return d with
        {
            Lifetime = Seconds("lifetime", d.Lifetime),
            DelayNotice = Seconds("delay-notice", d.DelayNotice),
            RetryFirst = Seconds("retry-first", d.RetryFirst),
            RetryMax = Seconds("retry-max", d.RetryMax),
            MaxConnectionsPerDestination = Number("max-connections-per-destination", d.MaxConnectionsPerDestination),
            MaxConnections = Number("max-connections", d.MaxConnections),
            MessagesPerConnection = Number("messages-per-connection", d.MessagesPerConnection),
        };
    }

    /// <summary>Checks a value before it is stored; returns the problem or null.</summary>
    public static string? Validate(string name, string value)
    {
        if (!Names.Any(n => n.Name == name)) return $"unknown setting '{name}'; known: {string.Join(", ", Names.Select(n => n.Name))}";
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? null
            : $"{name} takes a whole number of at least 1, not '{value}'";
    }
}
