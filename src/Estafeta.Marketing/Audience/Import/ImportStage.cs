using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Estafeta.Marketing.Audience;

/// <summary>The type of a staging column.</summary>
internal enum StageType
{
    Text,
    Number,
    Integer,

    /// <summary>A JSON object: JSONB on PostgreSQL, text on SQLite.</summary>
    Json,
}

/// <summary>
/// Fills a temporary staging table row by row by the fastest means each database has: on PostgreSQL a binary
/// <c>COPY</c>; on SQLite one prepared INSERT, bound by position and stepped once per row (SQLite runs in process,
/// so a row costs a few calls, without the name lookups and per-execution checks of a command object). The
/// table is then read by set-based statements in the same transaction.
/// </summary>
internal abstract class ImportStage : IAsyncDisposable
{
    public static async Task<ImportStage> OpenAsync(DbConnection connection, string table, IReadOnlyList<(string Name, StageType Type)> columns, CancellationToken ct)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        if (connection is SqliteConnection sqlite)
        {
            var marks = string.Join(", ", Enumerable.Range(1, columns.Count).Select(i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return new SqliteStage(sqlite, $"INSERT INTO temp.{table} ({names}) VALUES ({marks})");
        }

        var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        return new PostgresStage(importer);
    }

    public abstract void StartRow();

    public abstract void Text(string? value);

    public abstract void Number(double? value);

    public abstract void Integer(long? value);

    /// <summary>JSON text (already checked and written by <see cref="FieldJson"/>).</summary>
    public abstract void Json(string? value);

    /// <summary>Ends the row (SQLite writes it here).</summary>
    public abstract void EndRow();

    /// <summary>Every row has been written.</summary>
    public abstract Task CompleteAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Text is bound as UTF-8, the database's encoding: bound as UTF-16, SQLite would keep a copy of each value and
    /// convert it when the row is made. Each column remembers the last string it encoded, so a value shared by many
    /// rows (the verdict, a clean validation detail) is encoded once.
    /// </summary>
    private sealed class SqliteStage : ImportStage
    {
        private readonly SqliteConnection connection;
        private readonly sqlite3_stmt statement;
        private readonly List<(string? Text, byte[] Bytes, int Length)> last = [];
        private int column;

        public SqliteStage(SqliteConnection connection, string sql)
        {
            this.connection = connection;
            Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out statement));
        }

        public override void StartRow() => column = 0;

        public override void Text(string? value)
        {
            var index = ++column;
            if (value is null)
            {
                Check(raw.sqlite3_bind_null(statement, index));
                return;
            }

            while (last.Count < index) last.Add((null, new byte[256], 0));
            var (text, bytes, length) = last[index - 1];
            if (!ReferenceEquals(text, value))
            {
                var most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
                if (bytes.Length < most) bytes = new byte[Math.Max(most, bytes.Length * 2)];
                length = System.Text.Encoding.UTF8.GetBytes(value, bytes);
                last[index - 1] = (value, bytes, length);
            }

            Check(raw.sqlite3_bind_text(statement, index, bytes.AsSpan(0, length)));
        }

        public override void Number(double? value) =>
            Check(value is { } v ? raw.sqlite3_bind_double(statement, ++column, v) : raw.sqlite3_bind_null(statement, ++column));

        public override void Integer(long? value) =>
            Check(value is { } v ? raw.sqlite3_bind_int64(statement, ++column, v) : raw.sqlite3_bind_null(statement, ++column));

        public override void Json(string? value) => Text(value);

        public override void EndRow()
        {
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE) Check(rc);
        }

        public override Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;

        public override ValueTask DisposeAsync()
        {
            statement.Dispose();
            return ValueTask.CompletedTask;
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    private sealed class PostgresStage(NpgsqlBinaryImporter importer) : ImportStage
    {
        public override void StartRow() => importer.StartRow();

        public override void Text(string? value)
        {
            if (value is null) importer.WriteNull();
            else importer.Write(value, NpgsqlDbType.Text);
        }

        public override void Number(double? value)
        {
            if (value is { } v) importer.Write(v, NpgsqlDbType.Double);
            else importer.WriteNull();
        }

        public override void Integer(long? value)
        {
            if (value is { } v) importer.Write(v, NpgsqlDbType.Bigint);
            else importer.WriteNull();
        }

        public override void Json(string? value)
        {
            if (value is null) importer.WriteNull();
            else importer.Write(value, NpgsqlDbType.Jsonb);
        }

        public override void EndRow()
        {
        }

        public override async Task CompleteAsync(CancellationToken ct) => await importer.CompleteAsync(ct).ConfigureAwait(false);

        public override ValueTask DisposeAsync() => importer.DisposeAsync();
    }
}
