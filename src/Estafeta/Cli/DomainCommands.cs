using System.CommandLine;
using Estafeta.Storage;

namespace Estafeta.Cli;

public static class DomainCommands
{
    public static Command Create()
    {
        var command = new Command("domain", "Manage the domains this server receives and sends mail for");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(CatchAll());
        DomainAuthVerbs.AddTo(command);
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Domain name, e.g. ejemplo.test (IDN allowed: españa.test)" };
        var command = new Command("add", "Add a local domain and create its DKIM keys (RSA-2048 and Ed25519)") { name };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var domain = await new DomainStore(db).AddAsync(parse.GetValue(name)!, ct);
            Output.Done($"Added domain {domain.Name}.");
            Output.Done(await DomainAuthVerbs.CreateKeysAsync(db, domain.Name, ct));
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List local domains") { json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var domains = await new DomainStore(db).ListAsync(ct);
            if (parse.GetValue(json))
                Output.WriteJson(domains.Select(d => new { name = d.Name, catchAll = d.CatchAll, created = d.CreatedAt }));
            else
                Output.WriteTable(["Domain", "Catch-all", "Created (UTC)"],
                    domains.Select(d => new[] { d.Name, d.CatchAll ?? "-", d.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) }),
                    "No domains yet. Add one with: estafeta domain add ejemplo.test");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "Domain to remove (it must have no accounts left)" };
        var command = new Command("remove", "Remove a local domain") { name };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new DomainStore(db).RemoveAsync(parse.GetValue(name)!, ct);
            Output.Done($"Removed domain {parse.GetValue(name)}.");
            return 0;
        }));
        return command;
    }

    private static Command CatchAll()
    {
        var name = new Argument<string>("domain") { Description = "Local domain" };
        var target = new Argument<string?>("target") { Description = "Address that receives mail for unknown users of the domain", Arity = ArgumentArity.ZeroOrOne };
        var clear = new Option<bool>("--clear") { Description = "Remove the catch-all: unknown users are refused again" };
        var command = new Command("catch-all", "Set or clear the catch-all address of a domain") { name, target, clear };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var to = parse.GetValue(target);
            if (to is null && !parse.GetValue(clear))
                return Output.Fail("give a target address, or --clear to remove the catch-all.");
            await new DomainStore(db).SetCatchAllAsync(parse.GetValue(name)!, parse.GetValue(clear) ? null : to, ct);
            Output.Done(parse.GetValue(clear) ? $"Catch-all of {parse.GetValue(name)} cleared." : $"Mail for unknown users of {parse.GetValue(name)} now goes to {to}.");
            return 0;
        }));
        return command;
    }
}
