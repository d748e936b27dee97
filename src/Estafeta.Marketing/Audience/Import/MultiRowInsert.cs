using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Runs one INSERT for many rows (<c>VALUES (...), (...)</c>), split into statements that stay well below the
/// parameter limits of SQLite and PostgreSQL. Every value is a typed parameter (PostgreSQL needs the type of a
/// column whose values are all null in one statement). On SQLite, whose parameter binding looks names up one by
/// one (a cost that grows with the square of a statement's parameters) and which runs in process anyway, it is
/// one prepared single-row statement executed per row instead.
/// </summary>
internal static class MultiRowInsert
{
    private const int MaxParameters = 16_000;
    private const int MaxRows = 1000;

    public static async Task RunAsync(
        DbConnection connection, DbTransaction tx, string prefix, string suffix, DbType[] types, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection)
        {
            await RunPreparedAsync(connection, tx, prefix, suffix, types, rows, ct).ConfigureAwait(false);
            return;
        }

        var width = types.Length;
        var perStatement = Math.Max(1, Math.Min(MaxRows, MaxParameters / width));
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = new StringBuilder(prefix.Length + suffix.Length + (count * width * 8));
            sql.Append(prefix).Append(" VALUES ");
            var p = 0;
            for (var r = 0; r < count; r++)
            {
                if (r > 0) sql.Append(',');
                sql.Append('(');
                var row = rows[start + r];
                for (var c = 0; c < width; c++)
                {
                    if (c > 0) sql.Append(',');
                    var name = "p" + p.ToString(CultureInfo.InvariantCulture);
                    p++;
                    sql.Append('@').Append(name);
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.DbType = types[c];
                    parameter.Value = row[c] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                sql.Append(')');
            }

            sql.Append(' ').Append(suffix);
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task RunPreparedAsync(
        DbConnection connection, DbTransaction tx, string prefix, string suffix, DbType[] types, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var names = Enumerable.Range(0, types.Length).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        command.CommandText = $"{prefix} VALUES ({string.Join(',', names)}) {suffix}";
        var parameters = new DbParameter[types.Length];
        for (var c = 0; c < types.Length; c++)
        {
            parameters[c] = command.CreateParameter();
            parameters[c].ParameterName = names[c][1..];
            parameters[c].DbType = types[c];
            command.Parameters.Add(parameters[c]);
        }

        await command.PrepareAsync(ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var c = 0; c < types.Length; c++) parameters[c].Value = row[c] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
