using System.CommandLine;
using System.Globalization;
using Estafeta.Marketing.Audience;

namespace Estafeta.Cli;

/// <summary><c>estafeta fields</c>: the custom contact fields.</summary>
public static class FieldsCommands
{
    public static Command Create()
    {
        var command = new Command("fields", "Define, list and remove custom contact fields");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List the custom fields with their types") { json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var fields = await audience.Fields.ListAsync(ct);
            if (parse.GetValue(json)) Output.WriteJson(fields.Select(f => new { id = f.Id, name = f.Name, type = FieldTypes.Name(f.Type), choices = f.Choices }));
            else Output.WriteTable(["Id", "Field", "Type", "Choices"],
                fields.Select(f => new[] { f.Id.ToString(CultureInfo.InvariantCulture), f.Name, FieldTypes.Name(f.Type), string.Join(", ", f.Choices) }),
                "No custom fields yet. Imports make one of each column they cannot map, or: estafeta fields add país --type text");
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Field name, e.g. país (used in segments: país = \"ES\")" };
        var type = new Option<string>("--type") { Description = "text, number, date, boolean or choice", DefaultValueFactory = _ => "text" };
        type.AcceptOnlyFromAmong("text", "number", "date", "boolean", "choice");
        var choices = new Option<string[]>("--choice") { Description = "A value a choice field may take (repeat for each)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("add", "Define a custom field") { name, type, choices };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var field = await audience.Fields.DefineAsync(parse.GetValue(name)!, FieldTypes.Parse(parse.GetValue(type)!), parse.GetValue(choices), ct);
            Output.Done($"Added field {field.Name} ({FieldTypes.Name(field.Type)}).");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("name") { Description = "The field's name (accents and capitals optional)" };
        var force = new Option<bool>("--force") { Description = "Remove it even though saved segments use it (they fail until changed)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (for scripts)" };
        var command = new Command("remove", "Remove a custom field and every contact's value of it; cannot be undone") { name, force, yes };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var fields = (await audience.Fields.ListAsync(ct)).ToDictionary(f => f.Name, StringComparer.Ordinal);
            var field = FieldValues.Resolve(parse.GetValue(name)!.Trim(), fields);
            if (field is null) return Output.Fail($"there is no custom field {parse.GetValue(name)!.Trim()}; see estafeta fields list");
            if (!parse.GetValue(yes) && !await Output.ConfirmByNameAsync($"This removes the field {field.Name} and every contact's value of it.", "field", field.Name, ct))
            {
                return Output.Fail($"the field {field.Name} was not removed: confirm by typing its name, or pass --yes.");
            }

            var removed = await audience.Fields.RemoveAsync(field.Name, parse.GetValue(force), ct);
            Output.Done($"Removed the field {removed.Field} and its value from {removed.Contacts} contacts."
                + (removed.Segments.Count > 0 ? $" These saved segments use it and fail until changed: {string.Join(", ", removed.Segments)}." : ""));
            return 0;
        }));
        return command;
    }
}
