using System.CommandLine;
using Estafeta.Hosting;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary>Runs a verb that works on the database: resolves the boot settings, opens the database
/// (migrating it first, so verbs work on a fresh data folder and beside a running server), and
/// turns the errors people can fix into one clear line.</summary>
public static class StorageVerb
{
    public static async Task<int> RunAsync(ParseResult parse, Func<Database, BootSettings, Task<int>> action)
    {
        try
        {
            var settings = GlobalOptions.Settings(parse);
            StartupTrace.Mark("settings");
            await using var db = Database.Create(settings.DataDirectory, settings.Database);
            if (StartupTrace.Enabled)
            {
                // Splits opening the first connection (kept in the pool for what follows) from the migration check.
                await (await db.OpenAsync()).DisposeAsync();
                StartupTrace.Mark("first connection");
            }

            await db.MigrateAsync();
            StartupTrace.Mark("database opened, migrations checked");
            return await action(db, settings);
        }
        catch (BootSettingsException e) { return Output.Fail(e.Message); }
        catch (StorageException e) { return Output.Fail(e.Message); }
    }
}
