using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// The MTA's product settings (DESIGN rule 9: in the database, edited by the CLI and later the API): the routing
/// table, per-destination limits, warm-up schedules, and named values such as the message lifetime.
/// </summary>
public sealed class OutboundSettingsStore(Database db)
{
    public async Task<IReadOnlyList<OutboundRoute>> RoutesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Destination, string Host, long Port, long Tls, string? User, string? Password)>(new CommandDefinition(
            "SELECT destination, host, port, tls_required, auth_user, auth_password FROM outbound_routes ORDER BY destination",
            cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new OutboundRoute(r.Destination, r.Host, (int)r.Port, r.Tls != 0, r.User, r.Password))];
    }

    /// <summary>Adds or replaces the route of <see cref="OutboundRoute.Destination"/>.</summary>
    public async Task SetRouteAsync(OutboundRoute route, CancellationToken ct = default)
    {
        var destination = route.Destination.Trim().ToLowerInvariant();
        if (destination.Length == 0 || route.Host.Trim().Length == 0 || route.Port is < 1 or > 65535)
        {
            throw new InvalidInputException("a route needs a destination domain (or *), a host and a port from 1 to 65535");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbound_routes (destination, host, port, tls_required, auth_user, auth_password, created_at)
            VALUES (@destination, @host, @port, @tls, @user, @password, @now)
            ON CONFLICT (destination) DO UPDATE SET host = @host, port = @port, tls_required = @tls, auth_user = @user, auth_password = @password
            """,
            new { destination, host = route.Host.Trim(), port = (long)route.Port, tls = route.TlsRequired ? 1L : 0L, user = route.AuthUser, password = route.AuthPassword, now = db.NowMilliseconds() },
            cancellationToken: ct)).ConfigureAwait(false);
    }

    public Task RemoveRouteAsync(string destination, CancellationToken ct = default) =>
        DeleteAsync("DELETE FROM outbound_routes WHERE destination = @key", destination.Trim().ToLowerInvariant(), $"no route for {destination}", ct);

    public async Task<IReadOnlyList<DestinationLimit>> LimitsAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Pattern, long Max, long PerMinute, long PerConnection)>(new CommandDefinition(
            "SELECT pattern, max_connections, messages_per_minute, messages_per_connection FROM outbound_limits ORDER BY pattern",
            cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new DestinationLimit(r.Pattern, (int)r.Max, (int)r.PerMinute, (int)r.PerConnection))];
    }

    public async Task SetLimitAsync(DestinationLimit limit, CancellationToken ct = default)
    {
        var pattern = limit.Pattern.Trim().ToLowerInvariant();
        if (pattern.Length == 0 || limit.MaxConnections < 1 || limit.MessagesPerMinute < 0 || limit.MessagesPerConnection < 0)
        {
            throw new InvalidInputException("a limit needs a pattern (domain, *.domain or mx:pattern) and at least 1 connection");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbound_limits (pattern, max_connections, messages_per_minute, messages_per_connection)
            VALUES (@pattern, @max, @perMinute, @perConnection)
            ON CONFLICT (pattern) DO UPDATE SET max_connections = @max, messages_per_minute = @perMinute, messages_per_connection = @perConnection
            """,
            new { pattern, max = (long)limit.MaxConnections, perMinute = (long)limit.MessagesPerMinute, perConnection = (long)limit.MessagesPerConnection },
            cancellationToken: ct)).ConfigureAwait(false);
    }

    public Task RemoveLimitAsync(string pattern, CancellationToken ct = default) =>
        DeleteAsync("DELETE FROM outbound_limits WHERE pattern = @key", pattern.Trim().ToLowerInvariant(), $"no limit for {pattern}", ct);

    public async Task<IReadOnlyList<WarmupSchedule>> WarmupsAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Domain, long Started, long First, long Days, long Final)>(new CommandDefinition(
            "SELECT sending_domain, started_at, first_day_cap, days, final_cap FROM outbound_warmup ORDER BY sending_domain",
            cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new WarmupSchedule(r.Domain, Rows.Time(r.Started), (int)r.First, (int)r.Days, (int)r.Final))];
    }

    public async Task SetWarmupAsync(WarmupSchedule schedule, CancellationToken ct = default)
    {
        var domain = schedule.SendingDomain.Trim().ToLowerInvariant();
        if (domain.Length == 0 || schedule.FirstDayCap < 1 || schedule.Days < 1 || schedule.FinalCap < 0)
        {
            throw new InvalidInputException("a warm-up needs a sending domain, a first-day cap of at least 1 and at least 1 day");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbound_warmup (sending_domain, started_at, first_day_cap, days, final_cap)
            VALUES (@domain, @started, @first, @days, @final)
            ON CONFLICT (sending_domain) DO UPDATE SET started_at = @started, first_day_cap = @first, days = @days, final_cap = @final
            """,
            new { domain, started = schedule.StartedAt.ToUnixTimeMilliseconds(), first = (long)schedule.FirstDayCap, days = (long)schedule.Days, final = (long)schedule.FinalCap },
            cancellationToken: ct)).ConfigureAwait(false);
    }

    public Task RemoveWarmupAsync(string domain, CancellationToken ct = default) =>
        DeleteAsync("DELETE FROM outbound_warmup WHERE sending_domain = @key", domain.Trim().ToLowerInvariant(), $"no warm-up for {domain}", ct);

    /// <summary>Every named setting that was set (the rest take their defaults).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Name, string Value)>(new CommandDefinition(
            "SELECT name, value FROM outbound_settings", cancellationToken: ct)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>Sets a named value; null removes it (back to the default).</summary>
    public async Task SetValueAsync(string name, string? value, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (value is null)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM outbound_settings WHERE name = @name", new { name }, cancellationToken: ct)).ConfigureAwait(false);
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outbound_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = @value",
            new { name, value }, cancellationToken: ct)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(string sql, string key, string missing, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (await connection.ExecuteAsync(new CommandDefinition(sql, new { key }, cancellationToken: ct)).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException(missing);
        }
    }
}
