using System.CommandLine;
using Estafeta.Hosting;
using Estafeta.Storage;

namespace Estafeta.Cli;

public static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create or upgrade the database schema (serve does this at start too)");
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var settings = GlobalOptions.Settings(parse);
                Directory.CreateDirectory(settings.DataDirectory);
                await using var db = Database.Create(settings.DataDirectory, settings.Database);
                var applied = await db.MigrateAsync(ct);
                Output.Done(applied == 0
                    ? $"The {Describe(db)} schema is up to date."
                    : $"Applied {applied} migration(s) to the {Describe(db)}.");
                return 0;
            }
            catch (BootSettingsException e) { return Output.Fail(e.Message); }
            catch (StorageException e) { return Output.Fail(e.Message); }
        });
        return command;
    }

    private static string Describe(Database db) => db.Kind == DatabaseKind.Sqlite ? $"SQLite database in {db.DataDirectory}" : "PostgreSQL database";
}
