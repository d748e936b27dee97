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

    /// <summary>SQLite: the largest id <paramref name="table"/> (contacts or lists) has ever given, deleted rows included
    /// (<c>id_floors</c>, migration 382). SQLite numbers a new row one past the largest id in the table, so once the newest
    /// contact is erased its id would go to the next one, and the links in mail already sent to the erased person (an
    /// unsubscribe or preference centre link names the contact by id) would reach the newcomer. PostgreSQL's identity
    /// never gives a value twice.</summary>
    public static string SqliteLastId(string table) =>
        $"max(coalesce((SELECT max(id) FROM {table}), 0), coalesce((SELECT floor FROM id_floors WHERE name = '{table}'), 0))";

    /// <summary>The id column and value to insert a row of <paramref name="table"/> with: on SQLite one past
    /// <see cref="SqliteLastId"/> (the insert runs in a write transaction, so no one else takes it meanwhile); on
    /// PostgreSQL nothing, the identity default.</summary>
    public static (string Column, string Value) NewId(DatabaseKind kind, string table) =>
        kind == DatabaseKind.Sqlite ? ("id, ", $"({SqliteLastId(table)} + 1), ") : ("", "");

    public static long Now(Database db) => db.Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static DateTimeOffset? Time(long? unixMilliseconds) => unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
