using System.CommandLine;
using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary>
/// <c>estafeta contacts add|subscribe|unsubscribe</c>: one person at a time, for the operator who takes a request by
/// phone, by mail or at a counter, without writing a file or calling the API. A subscription made here records the
/// operator's stated source as its proof of consent (kind <c>operator</c>), as an import does; an unsubscription takes
/// effect at once.
/// </summary>
public static class ContactEditCommands
{
    public static Command Add()
    {
        var email = new Argument<string>("email") { Description = "The contact's address" };
        var name = new Option<string?>("--name") { Description = "Full name" };
        var language = new Option<string?>("--language") { Description = "Language: a code (es, en, es-mx) or its name (español, English)" };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA time zone, e.g. Europe/Madrid" };
        var tag = new Option<string[]>("--tag") { Description = "Tag to add; repeatable", AllowMultipleArgumentsPerToken = true };
        var field = new Option<string[]>("--field") { Description = "Custom field value as NAME=VALUE (an empty value removes it); repeatable", AllowMultipleArgumentsPerToken = true };
        var noDns = new Option<bool>("--no-dns-check") { Description = "Do not check that the domain has MX or A records" };
        var json = new Option<bool>("--json") { Description = "Print the contact as JSON" };
        var command = new Command("add", "Add a contact, or change the one with this address (what is not given stays as it is)")
            { email, name, language, timeZone, tag, field, noDns, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(field) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) return Output.Fail($"--field takes NAME=VALUE, not '{pair}' (an empty VALUE removes the field's value)");
                fields[pair[..equals].Trim()] = pair[(equals + 1)..] is { Length: > 0 } value ? value : null;
            }

            var input = new ContactInput(parse.GetValue(email)!)
            {
                Name = parse.GetValue(name),
                Language = parse.GetValue(language),
                TimeZone = parse.GetValue(timeZone),
                Tags = parse.GetValue(tag) is { Length: > 0 } tags ? tags : null,
                Fields = fields.Count > 0 ? fields : null,
            };
            var (contact, created) = await audience.Contacts.UpsertAsync(input, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(new { contact, created });
                return 0;
            }

            Output.Done($"{(created ? "Added" : "Updated")} contact {contact.Id.ToString(CultureInfo.InvariantCulture)}: {MailAddressCanonical.DisplayAddress(contact.Email)}"
                + (contact.Validation is { Verdict: not "valid" } v ? $" (address check: {v.Verdict}{(v.Suggestion is null ? "" : ", did you mean " + v.Suggestion + "?")})" : ""));
            return 0;
        }, dns: !parse.GetValue(noDns)));
        return command;
    }

    public static Command Subscribe()
    {
        var email = new Argument<string>("email") { Description = "The address (a contact is made for it when there is none)" };
        var list = new Option<string>("--list") { Description = "List (name or id)", Required = true };
        var consent = new Option<string?>("--consent-source") { Description = "How this person consented, kept as proof, e.g. \"pidió el alta por teléfono, 2026-11-27\"" };
        var noDns = new Option<bool>("--no-dns-check") { Description = "Do not check that the domain has MX or A records" };
        var json = new Option<bool>("--json") { Description = "Print the subscription as JSON" };
        var command = new Command("subscribe", "Subscribe an address to a list on the operator's word (no confirmation mail), recording how the person consented")
            { email, list, consent, noDns, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(consent)))
                return Output.Fail("state how this person consented with --consent-source \"...\" (it is kept as proof of consent).");
            var target = await audience.Lists.ResolveAsync(parse.GetValue(list)!, ct);
            var (contact, _) = await audience.Contacts.UpsertAsync(new ContactInput(parse.GetValue(email)!), ct);
            var evidence = new ConsentEvidence(ConsentSourceKind.Operator, "command line: " + parse.GetValue(consent)!.Trim());
            var subscription = await audience.Subscriptions.SetAsync(contact.Id, target.Id, SubscriptionStatus.Subscribed, evidence, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(subscription);
                return 0;
            }

            Output.Done($"{MailAddressCanonical.DisplayAddress(contact.Email)} is subscribed to {target.Name}"
                + (target.DoubleOptIn ? " (a double opt-in list: no confirmation mail was sent; the consent you stated is the proof)" : "") + ".");
            return 0;
        }, dns: !parse.GetValue(noDns)));
        return command;
    }

    public static Command Unsubscribe()
    {
        var email = new Argument<string>("email") { Description = "The contact's address (or id)" };
        var list = new Option<string[]>("--list") { Description = "List (name or id); repeatable", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "Every list the contact is subscribed to" };
        var json = new Option<bool>("--json") { Description = "Print the changed subscriptions as JSON" };
        var command = new Command("unsubscribe", "Unsubscribe a contact from lists at once (to never mail the address again at all: estafeta suppression add)")
            { email, list, all, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var lists = parse.GetValue(list) ?? [];
            if (lists.Length == 0 == !parse.GetValue(all)) return Output.Fail("name the lists with --list, or give --all for every list the contact is subscribed to.");
            var given = parse.GetValue(email)!.Trim();
            var contact = await audience.Contacts.FindByIdOrAddressAsync(given, ct);
            if (contact is null) return Output.Fail($"there is no contact {given}");

            var current = await audience.Subscriptions.ForContactAsync(contact.Id, ct);
            var targets = new List<long>();
            if (parse.GetValue(all))
            {
                targets.AddRange(current.Where(s => s.Status is SubscriptionStatus.Subscribed or SubscriptionStatus.Unconfirmed).Select(s => s.ListId));
            }
            else
            {
                foreach (var name in lists)
                {
                    var target = await audience.Lists.ResolveAsync(name, ct);
                    if (!current.Any(s => s.ListId == target.Id)) return Output.Fail($"{given} is not on the list {target.Name}");
                    targets.Add(target.Id);
                }
            }

            var evidence = new ConsentEvidence(ConsentSourceKind.Operator, "command line");
            var changed = new List<Subscription>();
            foreach (var listId in targets.Distinct())
                changed.Add(await audience.Subscriptions.SetAsync(contact.Id, listId, SubscriptionStatus.Unsubscribed, evidence, ct));
            if (parse.GetValue(json))
            {
                Output.WriteJson(changed);
                return 0;
            }

            Output.Done(changed.Count == 0
                ? $"{MailAddressCanonical.DisplayAddress(contact.Email)} is subscribed to no list."
                : $"{MailAddressCanonical.DisplayAddress(contact.Email)} is unsubscribed from {string.Join(", ", changed.Select(s => s.ListName))}.");
            return 0;
        }));
        return command;
    }
}
