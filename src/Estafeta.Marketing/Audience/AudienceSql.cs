using System.Data;
using System.Data.Common;
using Estafeta.Storage;
using Microsoft.Data.Sqlite;

namespace Estafeta.Marketing.Audience;

/// <summary>The few differences between SQLite and PostgreSQL the audience code needs (the rest is SQL both accept).</summary>
public static class AudienceSql
{
    /// <summary>A write transaction; on SQLite it takes the write lock at once (BEGIN IMMEDIATE).</summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(deferred: false);
        }

        return await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
    }

    /// <summary>"column is one of the values of the list parameter" (Dapper expands lists for SQLite; PostgreSQL takes an array).</summary>
    public static string In(Database db, string column, string parameter) => db.Kind == DatabaseKind.Sqlite
        ? $"{column} IN @{parameter}"
        : $"{column} = ANY(@{parameter})";

    /// <summary>A parameter holding JSON text, as the type of a JSON column (JSONB on PostgreSQL, text on SQLite).</summary>
    public static string Json(DatabaseKind kind, string parameter) => kind == DatabaseKind.PostgreSql ? $"CAST({parameter} AS JSONB)" : parameter;

    public static long Now(Database db) => db.Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static DateTimeOffset? Time(long? unixMilliseconds) => unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
