using System.Globalization;
using Npgsql;

namespace Estafeta.Storage;

/// <summary>
/// Reads the <c>--database</c> value: either a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>,
/// also <c>postgresql://</c>) or an Npgsql connection string (<c>Host=...;Username=...</c>).
/// </summary>
public static class PostgresConnectionString
{
    public static string Normalize(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var trimmed = value.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return FromUrl(trimmed);
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(trimmed).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException(
                $"--database is neither a postgres:// URL nor a valid connection string: {e.Message}", e);
        }
    }

    private static string FromUrl(string url)
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

        return builder.ConnectionString;
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
