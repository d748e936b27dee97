using System.Runtime;

namespace Estafeta.Cli;

/// <summary>
/// Multicore JIT for the command-line verbs (<see cref="ProfileOptimization"/>): each verb's run records which methods
/// it had to compile at run time (those the ahead-of-time image does not hold: the generic state machines of async
/// calls into Npgsql and Dapper, SQLite's interop stubs), and the next run of the same verb compiles them on a second
/// core from its first line of <c>Main</c>, while the first thread parses the command line and connects, instead of
/// each one when first called. The profiles live in the user's local application data
/// (<c>~/.local/share/estafeta/startup</c>), one per verb and kind of database; without a writable folder nothing is
/// recorded or read; <c>ESTAFETA_NO_STARTUP_PROFILE=1</c> turns it off. Measured on a PostgreSQL segment count whose
/// query takes a few milliseconds: 123 → 107 ms for the whole process (median of 15 interleaved runs); SQLite's runs
/// are unchanged (85 ms), their methods compiled at run time being mostly the interop stubs of its native calls.
/// It also starts the database's one-time set-up (<see cref="Estafeta.Storage.Database.WarmUp"/>) on another thread:
/// 94 → 85 ms on SQLite, 132 → 124 ms on PostgreSQL (medians of 15 interleaved runs).
/// <c>serve</c> is left out: a server's start is not what it is measured by, and its hot methods are recompiled by
/// tiered compilation anyway.
/// </summary>
public static class StartupProfile
{
    public static void Start(string[] args)
    {
        var verb = Verbs.RunName(args);
        // Most verbs open the database (help and the auth checks do not): its one-time set-up runs on a second core meanwhile.
        if (verb is not null && verb != "serve") _ = Task.Run(() => Estafeta.Storage.Database.WarmUp(UsesPostgres(args)));
        if (verb is null || verb == "serve" || Environment.GetEnvironmentVariable("ESTAFETA_NO_STARTUP_PROFILE") == "1") return;
        try
        {
            var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "estafeta", "startup");
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            // A PostgreSQL run compiles other methods than a SQLite one (Npgsql's): a profile of each.
            ProfileOptimization.StartProfile($"{verb}.{(UsesPostgres(args) ? "postgres" : "sqlite")}.jitprofile");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // No place to keep it: the verb runs as it would without.
        }
    }

    /// <summary>Whether the run names PostgreSQL (<c>--database</c> or <c>ESTAFETA_DATABASE</c>; a config file's
    /// <c>database</c> is not read this early).</summary>
    private static bool UsesPostgres(string[] args) =>
        Environment.GetEnvironmentVariable("ESTAFETA_DATABASE") is { Length: > 0 }
        || args.Any(a => a == "--database" || a.StartsWith("--database=", StringComparison.Ordinal));
}
