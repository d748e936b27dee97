using System.CommandLine;
using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary><c>estafeta suppression list|add|remove</c>: the global suppression list that every list, import and send honours.</summary>
public static class SuppressionCommands
{
    public static Command Create()
    {
        var command = new Command("suppression", "The global suppression list: addresses never subscribed, imported or mailed again");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var reason = new Option<string?>("--reason") { Description = "Only entries of this reason: unsubscribed, hard-bounce, complaint, manual, erased" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List the suppressed addresses (erased ones show only their SHA-256)") { reason, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            SuppressionReason? only = parse.GetValue(reason) is { } r ? SuppressionReasons.Parse(r) : null;
            var entries = new List<SuppressionEntry>();
            for (long after = 0; ;)
            {
                var page = await audience.Suppression.ListAsync(after, 1000, ct);
                entries.AddRange(only is { } wanted ? page.Where(e => e.Reason == wanted) : page);
                if (page.Count < 1000) break;
                after = page[^1].Id;
            }

            if (parse.GetValue(json))
            {
                Output.WriteJson(entries.Select(e => new { email = e.Email, hash = e.Hash, reason = SuppressionReasons.Name(e.Reason), note = e.Note, created = e.CreatedAt }));
                return 0;
            }

            Output.WriteTable(["Address", "Reason", "Since", "Note"],
                entries.Select(e => new[]
                {
                    e.Email is { } address ? MailAddressCanonical.DisplayAddress(address) : $"(erased) {e.Hash[..16]}…", SuppressionReasons.Name(e.Reason),
                    e.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Note ?? "",
                }),
                only is null ? "No address is suppressed." : $"No address is suppressed as {SuppressionReasons.Name(only.Value)}.");
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var email = new Argument<string>("email") { Description = "The address to suppress" };
        var reason = new Option<string>("--reason") { Description = "manual (default), unsubscribed, hard-bounce or complaint", DefaultValueFactory = _ => "manual" };
        var note = new Option<string?>("--note") { Description = "Why, for the operators (kept with the entry)" };
        var command = new Command("add", "Suppress an address: its subscriptions end at once and nothing is mailed to it again") { email, reason, note };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var why = SuppressionReasons.Parse(parse.GetValue(reason)!);
            if (why == SuppressionReason.Erased) return Output.Fail("erase an address with: estafeta contacts erase ADDRESS (it removes everything else held about it too)");
            var entry = await audience.Suppression.AddAsync(parse.GetValue(email)!, why, parse.GetValue(note), new ConsentEvidence(ConsentSourceKind.Operator, "command line"), ct);
            Output.Done($"Suppressed {MailAddressCanonical.DisplayAddress(entry.Email!)} ({SuppressionReasons.Name(entry.Reason)}).");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var email = new Argument<string>("email") { Description = "The address whose suppression is lifted" };
        var command = new Command("remove", "Lift a suppression (not one of an erased person); the address is not subscribed again by this") { email };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var canonical = MailAddressCanonical.Address(parse.GetValue(email)!);
            await audience.Suppression.RemoveAsync(canonical, ct);
            Output.Done($"{canonical} is no longer suppressed; it gets mail again only once it subscribes again.");
            return 0;
        }));
        return command;
    }
}
