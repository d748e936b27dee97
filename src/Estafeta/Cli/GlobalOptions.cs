using System.CommandLine;
using Estafeta.Hosting;

namespace Estafeta.Cli;

/// <summary>Options every verb understands: where the data lives and which database to use.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data") { Description = "Data folder (env ESTAFETA_DATA; default ./estafeta-data)", Recursive = true };
    public static readonly Option<string?> Database = new("--database") { Description = "PostgreSQL URL or Npgsql connection string instead of the embedded SQLite (env ESTAFETA_DATABASE)", Recursive = true };
    public static readonly Option<string?> Config = new("--config") { Description = "JSON settings file (env ESTAFETA_CONFIG; default DATA/estafeta.json when present)", Recursive = true };

    private static readonly Option<string?>[] All = [Data, Database, Config];

    /// <summary>Whether <paramref name="token"/> names one of these options (each takes a value).</summary>
    public static bool TakesValue(string token) => Array.Exists(All, option => option.Name == token || option.Aliases.Contains(token));

    public static void AddTo(RootCommand root)
    {
        foreach (var option in All) root.Options.Add(option);
    }

    /// <summary>The command-line part of the boot settings: the global options plus any extra given.</summary>
    public static Dictionary<string, string?> CommandLineValues(ParseResult parse, IEnumerable<(string Key, Option<string?> Option)>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["data"] = parse.GetValue(Data),
            ["database"] = parse.GetValue(Database),
            ["config"] = parse.GetValue(Config),
        };
        foreach (var (key, option) in extra ?? []) values[key] = parse.GetValue(option);
        return values;
    }

    public static BootSettings Settings(ParseResult parse) => BootSettings.Resolve(CommandLineValues(parse));
}
