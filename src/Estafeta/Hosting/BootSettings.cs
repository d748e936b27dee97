using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Estafeta.Hosting;

/// <summary>
/// The few settings needed to boot (DESIGN: boot config is tiny): where to listen, where the data
/// lives, which database. Each one is read from, in order of precedence, the command line, an
/// <c>ESTAFETA_*</c> environment variable (<c>--max-message-size</c> → <c>ESTAFETA_MAX_MESSAGE_SIZE</c>),
/// the JSON config file (<c>--config</c>, default <c>DATA/estafeta.json</c> when it exists, flat keys
/// named like the options), and the default. Validated at start-up with messages that say the fix.
/// </summary>
public sealed record BootSettings
{
    public required string DataDirectory { get; init; }
    public string? Database { get; init; }
    public string HostName { get; init; } = "localhost";
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }
    public IPEndPoint? Http { get; init; }
    public IPEndPoint? Smtp { get; init; }
    public IPEndPoint? Submission { get; init; }
    public IPEndPoint? Submissions { get; init; }
    public IPEndPoint? Pop3 { get; init; }
    public IPEndPoint? Pop3s { get; init; }
    public IPEndPoint? Imap { get; init; }
    public IPEndPoint? Imaps { get; init; }
    public long MaxMessageSize { get; init; } = 35 * 1024 * 1024;
    public int MaxRecipients { get; init; } = 100;
    public int MaxLineLength { get; init; } = 2048;
    public int MaxErrors { get; init; } = 10;
    public int MaxCommands { get; init; } = 1000;
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxConnectionsPerIp { get; init; } = 50;
    public int AuthMaxFailures { get; init; } = 10;
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);
    public bool AllowPlaintextAuth { get; init; }
    public int ImapMaxSessionsPerAccount { get; init; } = 20;
    /// <summary>The DNS server every lookup uses (tests and labs); null = the system's resolvers.</summary>
    public IPEndPoint? Dns { get; init; }
    /// <summary>The port outbound delivery connects to on recipients' MX hosts.</summary>
    public int MxPort { get; init; } = 25;
    /// <summary>The public base URL of the HTTP server, for links in mail (confirmation, unsubscribe,
    /// tracking); null = derived from the bound --http address.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>The setting names, as options (<c>--name</c>), environment variables and config-file keys.</summary>
    public static readonly IReadOnlyList<(string Name, string Default, string Help)> Keys =
    [
        ("data", "./estafeta-data", "Folder for the database, message files, spool and TLS certificate"),
        ("database", "", "PostgreSQL instead of the embedded SQLite (URL or Npgsql connection string)"),
        ("config", "DATA/estafeta.json", "JSON file with any of these settings (flat keys named like the options)"),
        ("hostname", "localhost", "Name this server gives in greetings and Received headers"),
        ("tls-cert", "", "TLS certificate (PEM); a self-signed one is made when absent"),
        ("tls-key", "", "TLS private key (PEM)"),
        ("http", "127.0.0.1:8080", "HTTP API and /healthz (host:port; 'off' disables)"),
        ("smtp", "127.0.0.1:2525", "SMTP MX listener (production: 25)"),
        ("submission", "127.0.0.1:5870", "SMTP submission with STARTTLS (production: 587)"),
        ("submissions", "127.0.0.1:4650", "SMTP submission over implicit TLS (production: 465)"),
        ("pop3", "127.0.0.1:1100", "POP3 with STLS (production: 110)"),
        ("pop3s", "127.0.0.1:9950", "POP3 over implicit TLS (production: 995)"),
        ("imap", "127.0.0.1:1430", "IMAP with STARTTLS (production: 143)"),
        ("imaps", "127.0.0.1:9930", "IMAP over implicit TLS (production: 993)"),
        ("max-message-size", "36700160", "Largest message accepted, in bytes (advertised as SIZE)"),
        ("max-recipients", "100", "Recipients per message"),
        ("max-line-length", "2048", "Longest command line, in bytes"),
        ("max-errors", "10", "Protocol errors per session before disconnecting"),
        ("max-commands", "1000", "Commands per SMTP session before disconnecting"),
        ("idle-timeout", "300", "Seconds a session may wait for a command"),
        ("max-connections-per-ip", "50", "Concurrent connections from one client address, per listener"),
        ("auth-max-failures", "10", "Failed logins from one address (15 minutes) before it is refused"),
        ("shutdown-grace", "10", "Seconds sessions get to finish when stopping"),
        ("allow-plaintext-auth", "false", "Allow passwords over connections without TLS"),
        ("imap-max-sessions-per-account", "20", "IMAP sessions one account may have open at once"),
        ("dns", "system", "DNS server for every lookup (host:port), or 'system' for the machine's resolvers"),
        ("mx-port", "25", "Port outbound delivery connects to on recipients' mail servers (test labs change it)"),
        ("public-url", "", "Public base URL of the HTTP server for links in mail (default: http:// + the --http address)"),
    ];

    public static string EnvironmentName(string key) => "ESTAFETA_" + key.ToUpperInvariant().Replace('-', '_');

    /// <summary>Resolves every setting. <paramref name="commandLine"/> holds the options given on the command line.</summary>
    public static BootSettings Resolve(IReadOnlyDictionary<string, string?> commandLine, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Early(string key) => commandLine.TryGetValue(key, out var v) && v is not null ? v : environment(EnvironmentName(key));
        var data = Path.GetFullPath(Early("data") ?? "./estafeta-data");
        var configPath = Early("config");
        var file = LoadConfigFile(configPath ?? Path.Combine(data, "estafeta.json"), required: configPath is not null);

        string? Get(string key)
        {
            if (commandLine.TryGetValue(key, out var v) && v is not null) return v;
            if (environment(EnvironmentName(key)) is { } e) return e;
            if (file.TryGetValue(key, out var f)) return f;
            return null;
        }
        string Default(string key) => Keys.First(k => k.Name == key).Default;
        string Value(string key) => Get(key) ?? Default(key);
        IPEndPoint? EndPoint(string key) => ParseEndPoint(key, Value(key));
        long Number(string key, long min, long max)
        {
            var text = Value(key);
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                throw new BootSettingsException($"--{key} must be a whole number from {min} to {max}, not '{text}'.");
            return n;
        }
        bool Flag(string key)
        {
            var text = Value(key);
            return text.ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" or "" => false,
                _ => throw new BootSettingsException($"--{key} must be true or false, not '{text}'."),
            };
        }

        var database = Get("database");
        return new BootSettings
        {
            DataDirectory = data,
            Database = string.IsNullOrWhiteSpace(database) ? null : database,
            HostName = Value("hostname"),
            TlsCertificate = NullIfEmpty(Get("tls-cert")),
            TlsKey = NullIfEmpty(Get("tls-key")),
            Http = EndPoint("http"),
            Smtp = EndPoint("smtp"),
            Submission = EndPoint("submission"),
            Submissions = EndPoint("submissions"),
            Pop3 = EndPoint("pop3"),
            Pop3s = EndPoint("pop3s"),
            Imap = EndPoint("imap"),
            Imaps = EndPoint("imaps"),
            MaxMessageSize = Number("max-message-size", 1024, 1L << 40),
            MaxRecipients = (int)Number("max-recipients", 1, 100_000),
            MaxLineLength = (int)Number("max-line-length", 512, 1 << 20),
            MaxErrors = (int)Number("max-errors", 1, 10_000),
            MaxCommands = (int)Number("max-commands", 10, 10_000_000),
            IdleTimeout = TimeSpan.FromSeconds(Number("idle-timeout", 1, 86_400)),
            MaxConnectionsPerIp = (int)Number("max-connections-per-ip", 1, 1_000_000),
            AuthMaxFailures = (int)Number("auth-max-failures", 1, 1_000_000),
            ShutdownGrace = TimeSpan.FromSeconds(Number("shutdown-grace", 0, 3600)),
            AllowPlaintextAuth = Flag("allow-plaintext-auth"),
            ImapMaxSessionsPerAccount = (int)Number("imap-max-sessions-per-account", 1, 100_000),
            Dns = Value("dns") is "system" or "" ? null : EndPoint("dns"),
            MxPort = (int)Number("mx-port", 1, 65535),
            PublicUrl = NullIfEmpty(Get("public-url")) is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? uri
                    : throw new BootSettingsException($"--public-url must be an absolute http(s) URL such as https://mail.ejemplo.es, not '{url}'.")
                : null,
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>Parses <c>host:port</c>, <c>[v6]:port</c>, <c>:port</c> (all addresses) or <c>off</c>.</summary>
    public static IPEndPoint? ParseEndPoint(string key, string text)
    {
        text = text.Trim();
        if (text.Length == 0 || text.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            throw new BootSettingsException($"--{key} takes host:port (for example 127.0.0.1:2525, [::1]:2525, :2525, or port 0 for a free one), not '{text}'.");
        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host is "" or "*") return new IPEndPoint(IPAddress.IPv6Any, port);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, port);
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        throw new BootSettingsException($"--{key}: '{host}' is not an IP address; listen on an address such as 127.0.0.1, [::1] or 0.0.0.0.");
    }

    private static Dictionary<string, string> LoadConfigFile(string path, bool required)
    {
        if (!File.Exists(path))
        {
            if (required) throw new BootSettingsException($"The config file {path} does not exist.");
            return [];
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!Keys.Any(k => k.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase)))
                    throw new BootSettingsException($"{path}: unknown setting '{p.Name}'. Known: {string.Join(", ", Keys.Select(k => k.Name))}.");
                result[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new BootSettingsException($"{path} is not valid JSON: {e.Message}");
        }
    }
}

public sealed class BootSettingsException(string message) : Exception(message);
