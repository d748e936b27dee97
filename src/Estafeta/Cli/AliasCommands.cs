using System.CommandLine;
using Estafeta.Storage;

namespace Estafeta.Cli;

public static class AliasCommands
{
    public static Command Create()
    {
        var command = new Command("alias", "Manage aliases: an address of a local domain that delivers to other addresses");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var address = new Argument<string>("address") { Description = "Alias address, e.g. ventas@ejemplo.test" };
        var target = new Argument<string>("target") { Description = "Where its mail goes (an account, another alias, or a remote address)" };
        var command = new Command("add", "Add a target to an alias (run again for more targets)") { address, target };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new AliasStore(db).AddAsync(parse.GetValue(address)!, parse.GetValue(target)!, ct);
            Output.Done($"Mail for {parse.GetValue(address)} now also goes to {parse.GetValue(target)}.");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var address = new Argument<string>("address") { Description = "Alias address" };
        var target = new Argument<string?>("target") { Description = "Only this target (default: the whole alias)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("remove", "Remove an alias, or one of its targets") { address, target };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new AliasStore(db).RemoveAsync(parse.GetValue(address)!, parse.GetValue(target), ct);
            Output.Done(parse.GetValue(target) is { } t ? $"{parse.GetValue(address)} no longer goes to {t}." : $"Removed alias {parse.GetValue(address)}.");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var domain = new Option<string?>("--domain") { Description = "Only aliases of this domain" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List aliases") { domain, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var aliases = (await new AliasStore(db).ListAsync(parse.GetValue(domain), ct))
                .GroupBy(a => a.Address).Select(g => (Address: g.Key, Targets: g.Select(a => a.Target).ToList())).ToList();
            if (parse.GetValue(json))
                Output.WriteJson(aliases.Select(a => new { address = a.Address, targets = a.Targets }));
            else
                Output.WriteTable(["Alias", "Targets"], aliases.Select(a => new[] { a.Address, string.Join(", ", a.Targets) }),
                    "No aliases yet. Add one with: estafeta alias add ventas@ejemplo.test ana@ejemplo.test");
            return 0;
        }));
        return command;
    }
}
