using Microsoft.Data.Sqlite;
using Npgsql;

namespace Estafeta.Storage;

/// <summary>What a database exception means, whichever of the two databases raised it.</summary>
public static class DatabaseErrors
{
    /// <summary>A UNIQUE or PRIMARY KEY constraint refused the row (SQLite 2067 / 1555, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>A FOREIGN KEY constraint refused the change (SQLite 787, PostgreSQL 23503).</summary>
    public static bool IsForeignKeyViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode == 787,
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };
}
