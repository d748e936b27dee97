using System.CommandLine;

namespace Estafeta.Cli;

/// <summary>
/// The verbs of the command line. Every run of the program is one verb, so only the tree of the verb named on
/// the command line is built: building all of them (~180 commands, options and arguments) took every verb
/// ~5–10 ms more. Help, a response file, a directive, an unknown verb or none build them all, so help and the
/// parser's suggestions are as before.
/// </summary>
public static class Verbs
{
    private static readonly (string Name, Func<IEnumerable<Command>> Create)[] All =
    [
        ("serve", () => [ServeCommand.Create()]),
        ("migrate", () => [MigrateCommand.Create()]),
        ("domain", () => [DomainCommands.Create()]),
        ("account", () => [AccountCommands.Create()]),
        ("alias", () => [AliasCommands.Create()]),
        ("lists", () => [ListsCommands.Create()]),
        ("contacts", () => [ContactsCommands.Create()]),
        ("segments", () => [SegmentsCommands.Create()]),
        ("fields", () => [FieldsCommands.Create()]),
        ("suppression", () => [SuppressionCommands.Create()]),
        ("apikey", () => [ApiKeyCommands.Create()]),
        ("queue", () => [QueueCommands.Create()]),
        ("auth", AuthCommands.Create),
        ("dmarc", AuthCommands.Create),
        ("tlsrpt", AuthCommands.Create),
    ];

    /// <summary>The commands to add to the root for these arguments, in the order help lists them.</summary>
    public static IEnumerable<Command> For(string[] args)
    {
        if (Named(args) is { } verb)
        {
            foreach (var (name, create) in All)
            {
                if (name == verb) return create().Where(c => c.Name == verb);
            }
        }

        return All.Select(v => v.Create).Distinct().SelectMany(create => create());
    }

    /// <summary>The verb named and its subcommand when one follows (<c>segments-count</c>, <c>migrate</c>): what a run
    /// does, for <see cref="StartupProfile"/>; null when no verb is named.</summary>
    public static string? RunName(string[] args)
    {
        if (Named(args, out var at) is not { } verb) return null;
        var next = at + 1 < args.Length ? args[at + 1] : "";
        return next.Length is > 0 and <= 32 && next.All(c => char.IsAsciiLetterLower(c) || c == '-') && next[0] != '-' ? verb + "-" + next : verb;
    }

    private static string? Named(string[] args) => Named(args, out _);

    // The first word that is neither a global option nor its value, when it is a verb's name; null otherwise
    // (and for anything the parser treats specially: options such as --help or --version, @response files,
    // [directives]).
    private static string? Named(string[] args, out int at)
    {
        at = -1;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            // A global option with its value: "--data DIR" (two words) or "--data=DIR" (one).
            var name = arg.Split('=', 2)[0];
            if (GlobalOptions.TakesValue(name))
            {
                if (name.Length == arg.Length) i++;
                continue;
            }

            if (arg.Length == 0 || arg[0] is '-' or '@' or '[') return null;
            at = i;
            return Array.Exists(All, v => v.Name == arg) ? arg : null;
        }

        return null;
    }
}
