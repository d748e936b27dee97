using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Estafeta.Storage;

/// <summary>
/// The index database (SQLite in the data folder, or PostgreSQL) and the data folder that holds the message files.
/// One instance per process; it is cheap to share and safe to use from many threads.
/// </summary>
/// <remarks>
/// SQLite is opened in WAL mode with <c>synchronous=FULL</c> (a commit is on disk when it returns),
/// foreign keys on and a 30 s busy timeout, so a CLI verb can write while <c>serve</c> runs on the same file.
/// Write transactions take the write lock up front (BEGIN IMMEDIATE). Timestamps are stored as UTC Unix
/// milliseconds in BIGINT columns on both backends.
/// </remarks>
public sealed class Database : IAsyncDisposable
{
    public const string SqliteFileName = "estafeta.db";

    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string connectionString;
    private readonly NpgsqlDataSource? dataSource;
    private int walEnabled;

    // The SQLite handles (pooled under each SqliteConnection) whose per-connection settings are applied already.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> prepared = new();

    private Database(DatabaseKind kind, string dataDirectory, string connectionString, TimeProvider time)
    {
        Kind = kind;
        DataDirectory = dataDirectory;
        this.connectionString = connectionString;
        Time = time;
        Dialect = kind == DatabaseKind.Sqlite ? SqlDialect.Sqlite : SqlDialect.PostgreSql;
        Blobs = new BlobStore(dataDirectory);
        if (kind == DatabaseKind.PostgreSql)
        {
            dataSource = NpgsqlDataSource.Create(connectionString);
        }
    }

    public DatabaseKind Kind { get; }

    /// <summary>The <c>--data</c> folder: <c>estafeta.db</c> (SQLite), <c>messages/</c> and <c>tmp/</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the message files live; shared by every store built on this database.</summary>
    public BlobStore Blobs { get; }

    public TimeProvider Time { get; }

    internal SqlDialect Dialect { get; }

    internal PasswordVerificationCache PasswordCache { get; } = new();

    /// <summary>Committed mailbox changes of this process, for IMAP IDLE and for reading HIGHESTMODSEQ without I/O.</summary>
    public MailboxChangeFeed Changes { get; } = new();

    /// <summary>
    /// Opens the data folder. With <paramref name="connectionString"/> null or empty the index is the SQLite file
    /// <c>DATA/estafeta.db</c>; otherwise it is the PostgreSQL database named by the URL or Npgsql connection string.
    /// Nothing is migrated here: call <see cref="MigrateAsync"/>.
    /// </summary>
    /// <summary>
    /// Does the one-time work of a first connection that needs no database: for SQLite, loading its native library and
    /// the SQLitePCL provider (Microsoft.Data.Sqlite finds it by reflection), the connection's and its string builder's
    /// static set-up, and the interop stubs of opening a connection and running a statement, on an in-memory database;
    /// for PostgreSQL, Npgsql's type mapping set up by a data source that never connects. About 20 ms a process on
    /// SQLite, which a command-line verb runs on a second core while the first parses its arguments and settings
    /// (StartupProfile in the program). Errors are left for the real connection to report.
    /// </summary>
    public static void WarmUp(bool postgres)
    {
        try
        {
            if (postgres)
            {
                using var source = NpgsqlDataSource.Create("Host=localhost;Database=warm-up");
                return;
            }

            using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            command.ExecuteScalar();
        }
        catch (Exception)
        {
            // The connection the command makes reports the problem, with its context.
        }
    }

    public static Database Create(string dataDir, string? connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        var fullDataDir = Path.GetFullPath(dataDir);
        try
        {
            Directory.CreateDirectory(fullDataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the data folder {fullDataDir}: {e.Message}", e);
        }

        time ??= TimeProvider.System;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new Database(DatabaseKind.PostgreSql, fullDataDir, PostgresConnectionString.Normalize(connectionString), time);
        }

        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(fullDataDir, SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        return new Database(DatabaseKind.Sqlite, fullDataDir, sqlite.ConnectionString, time);
    }

    /// <summary>An open pooled connection; dispose it to return it to the pool.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (dataSource is not null)
        {
            return await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(connectionString);
        // Unicode case folding for queries that compare text beyond ASCII (segments), which SQLite's lower() cannot do.
        connection.CreateFunction("estafeta_lower", FoldFunction, isDeterministic: true);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (Volatile.Read(ref walEnabled) == 0)
            {
                // Persistent in the file; asked once per process so a fresh file is switched before first use.
                await connection.ExecuteAsync("PRAGMA journal_mode=WAL").ConfigureAwait(false);
                Volatile.Write(ref walEnabled, 1);
            }

            // Per connection, kept by the pooled handle: applied the first time a handle is opened only (every
            // message opens a few connections, and three statements each time showed in the MX profile).
            var handle = connection.Handle!;
            if (!prepared.TryGetValue(handle, out _))
            {
                await connection.ExecuteAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={BusyTimeoutMilliseconds};")).ConfigureAwait(false);
                prepared.AddOrUpdate(handle, prepared);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static readonly Func<string?, string?> FoldFunction = text => text is null ? null : CaseFold.OfStored(text);

    /// <summary>Applies the schema migrations not applied yet; returns how many it applied. Safe to run concurrently.</summary>
    public Task<int> MigrateAsync(CancellationToken ct = default) => new MigrationRunner(this).RunAsync(ct);

    /// <summary>The numbers of the migrations recorded in <c>schema_migrations</c>.</summary>
    public Task<IReadOnlyList<int>> AppliedMigrationsAsync(CancellationToken ct = default) =>
        new MigrationRunner(this).AppliedAsync(ct);

    internal long NowMilliseconds() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            return;
        }

        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
