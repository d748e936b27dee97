using System.Data.Common;
using System.Globalization;
using System.Net;
using Npgsql;

namespace Estafeta.Storage;

/// <summary>
/// Reads the <c>--database</c> value: either a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>,
/// also <c>postgresql://</c>) or an Npgsql connection string (<c>Host=...;Username=...</c>).
/// </summary>
/// <remarks>
/// One deviation from libpq and Npgsql, whose default <c>sslmode</c> is <c>prefer</c> (try TLS first) whatever the
/// host: when the value names no TLS setting at all and every host is on this machine (a loopback address,
/// <c>localhost</c>, or a Unix socket folder), the mode is <c>allow</c>: plaintext first, and TLS when the server
/// refuses plaintext (a <c>hostssl</c>-only <c>pg_hba.conf</c>; the refusal comes before any password is sent).
/// On loopback, <c>prefer</c>'s TLS does not verify the server (it protects against nobody who could not read the
/// traffic anyway: only root sees the loopback interface) and it cost each command-line verb ~130 ms of CPU, most
/// of it .NET reading and parsing every certificate of the system's trust store to build a chain nobody checks
/// (SslStream builds one in every handshake, whatever the validation callback; Npgsql ignores it in prefer and
/// require, and a custom root store does not avoid reading the system's). A <c>sslmode</c> given, or any other
/// TLS setting, is honoured as it is: <c>require</c> encrypts, <c>verify-ca</c> and <c>verify-full</c> verify.
/// </remarks>
public static class PostgresConnectionString
{
    public static string Normalize(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        NpgsqlConnectionStringBuilder builder;
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            builder = FromUrl(trimmed);
        }
        else
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(trimmed);
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException(
                    $"--database is neither a postgres:// URL nor a valid connection string: {e.Message}", e);
            }
        }

        if (!NamesTlsSetting(builder) && IsLocal(builder.Host))
        {
            builder.SslMode = SslMode.Allow;
        }

        return builder.ConnectionString;
    }

    // The settings that say something about TLS, as Npgsql's builder names them in its ConnectionString.
    private static readonly string[] TlsSettings =
    [
        "SSL Mode", "SSL Negotiation", "Trust Server Certificate", "SSL Certificate", "SSL Key", "SSL Password",
        "Root Certificate", "Check Certificate Revocation",
    ];

    private static bool NamesTlsSetting(NpgsqlConnectionStringBuilder builder)
    {
        // Read back from the connection string the builder writes: it holds the settings given (under Npgsql's
        // own names, whatever spelling was used), not the defaults.
        var given = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        return TlsSettings.Any(given.ContainsKey);
    }

    /// <summary>Whether every host of an Npgsql <c>Host</c> value (a comma-separated list, each with an optional
    /// <c>:port</c>) is on this machine: a loopback address, <c>localhost</c>, or a Unix socket folder.</summary>
    internal static bool IsLocal(string? hosts)
    {
        if (string.IsNullOrWhiteSpace(hosts)) return false;
        foreach (var entry in hosts.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!IsLocalHost(entry)) return false;
        }

        return true;
    }

    private static bool IsLocalHost(string host)
    {
        if (host.Length == 0) return false;
        if (host[0] is '/' or '@') return true; // a Unix socket (folder, or Linux abstract namespace)
        if (host.StartsWith('[') && host.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            host = host[1..close];
        }
        else if (host.Count(c => c == ':') == 1)
        {
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidInputException(
                "--database URL must look like postgres://user:password@host:5432/database");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? uri.UserInfo : uri.UserInfo[..separator];
            builder.Username = Uri.UnescapeDataString(user);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var val = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                val = val.Replace("-", "", StringComparison.Ordinal); // libpq's verify-ca, verify-full
            }

            try
            {
                builder[MapLibpqKeyword(key)] = val;
            }
            catch (ArgumentException e)
            {
                throw new InvalidInputException(
                    string.Create(CultureInfo.InvariantCulture, $"--database URL option '{key}' is not understood: {e.Message}"), e);
            }
        }

        return builder;
    }

    // libpq spells a few options differently from Npgsql.
    private static string MapLibpqKeyword(string key) => key.ToLowerInvariant() switch
    {
        "sslmode" => "SSL Mode",
        "application_name" => "Application Name",
        "connect_timeout" => "Timeout",
        "sslrootcert" => "Root Certificate",
        "sslcert" => "SSL Certificate",
        "sslkey" => "SSL Key",
        "target_session_attrs" => "Target Session Attributes",
        _ => key,
    };
}
