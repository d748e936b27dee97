using System.CommandLine;
using System.Globalization;

namespace Estafeta.Cli;

public static class ListsCommands
{
    public static Command Create()
    {
        var command = new Command("lists", "Manage mailing lists");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Update()
    {
        var list = new Argument<string>("list") { Description = "The list's name or id" };
        var name = new Option<string?>("--name") { Description = "A new name; saved segments that name the list follow it" };
        var description = new Option<string?>("--description") { Description = "Shown on the subscription form and the preference centre" };
        var optIn = new Option<string?>("--opt-in") { Description = "double (new subscribers confirm by mail) or single" };
        optIn.AcceptOnlyFromAmong("double", "single");
        var from = new Option<string?>("--from") { Description = "Sender of the list's confirmation mail; \"\" for the default (no-reply@HOSTNAME)" };
        var consent = new Option<string?>("--consent-text") { Description = "What a person agrees to when subscribing; \"\" for the default text" };
        var command = new Command("update", "Change a list's name, description, opt-in, sender or consent text; what is not given stays") { list, name, description, optIn, from, consent };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var found = await audience.Lists.ResolveAsync(parse.GetValue(list)!, ct);
            var change = new Estafeta.Marketing.Audience.ListChange
            {
                Name = parse.GetValue(name),
                Description = parse.GetValue(description),
                DoubleOptIn = parse.GetValue(optIn) is { } o ? o == "double" : null,
                FromAddress = parse.GetValue(from),
                ConsentText = parse.GetValue(consent),
            };
            if (change == new Estafeta.Marketing.Audience.ListChange())
            {
                return Output.Fail("nothing to change: give --name, --description, --opt-in, --from or --consent-text.");
            }

            var updated = await audience.Lists.UpdateAsync(found.Id, change, ct);
            Output.Done($"Updated list {updated.Name} (id {updated.Id}, {(updated.DoubleOptIn ? "double" : "single")} opt-in).");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var list = new Argument<string>("list") { Description = "The list's name or id" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (for scripts)" };
        var command = new Command("remove", "Delete a list and its subscriptions; each subscriber's consent history keeps what they agreed to") { list, yes };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var found = await audience.Lists.ResolveAsync(parse.GetValue(list)!, ct);
            var subscribers = found.Counts.Values.Sum();
            if (!parse.GetValue(yes) && !await Output.ConfirmByNameAsync($"This deletes the list {found.Name} (id {found.Id}) and its {subscribers} subscriptions.", "list", found.Name, ct))
            {
                return Output.Fail($"the list {found.Name} was not deleted: confirm by typing its name, or pass --yes.");
            }

            await audience.Lists.RemoveAsync(found.Id, ct);
            Output.Done($"Deleted the list {found.Name} and its {subscribers} subscriptions.");
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "List name, e.g. Boletín" };
        var doubleOptIn = new Option<bool>("--double-opt-in") { Description = "New subscribers confirm through a link mailed to them" };
        var description = new Option<string?>("--description") { Description = "Shown on the subscription form and the preference centre" };
        var from = new Option<string?>("--from") { Description = "Sender of the list's confirmation mail (default no-reply@HOSTNAME)" };
        var consent = new Option<string?>("--consent-text") { Description = "What a person agrees to when subscribing (kept as proof of consent)" };
        var command = new Command("add", "Create a list") { name, doubleOptIn, description, from, consent };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var list = await audience.Lists.AddAsync(parse.GetValue(name)!, parse.GetValue(description), parse.GetValue(doubleOptIn), parse.GetValue(from), parse.GetValue(consent), ct);
            Output.Done($"Added list {list.Name} (id {list.Id}, {(list.DoubleOptIn ? "double" : "single")} opt-in).");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List the mailing lists with their subscription counts") { json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var lists = await audience.Lists.ListAsync(ct);
            long Count(IReadOnlyDictionary<string, long> counts, string status) => counts.GetValueOrDefault(status);
            if (parse.GetValue(json))
            {
                Output.WriteJson(lists.Select(l => new { id = l.Id, name = l.Name, description = l.Description, doubleOptIn = l.DoubleOptIn, fromAddress = l.FromAddress, consentText = l.ConsentText, counts = l.Counts, created = l.CreatedAt }));
            }
            else
            {
                Output.WriteTable(["Id", "List", "Opt-in", "Subscribed", "Unconfirmed", "Unsubscribed", "Bounced", "Complained"],
                    lists.Select(l => new[]
                    {
                        l.Id.ToString(CultureInfo.InvariantCulture), l.Name, l.DoubleOptIn ? "double" : "single",
                        Count(l.Counts, "subscribed").ToString(CultureInfo.InvariantCulture), Count(l.Counts, "unconfirmed").ToString(CultureInfo.InvariantCulture),
                        Count(l.Counts, "unsubscribed").ToString(CultureInfo.InvariantCulture), Count(l.Counts, "bounced").ToString(CultureInfo.InvariantCulture),
                        Count(l.Counts, "complained").ToString(CultureInfo.InvariantCulture),
                    }),
                    "No lists yet. Add one with: estafeta lists add Boletín --double-opt-in");
            }

            return 0;
        }));
        return command;
    }
}
