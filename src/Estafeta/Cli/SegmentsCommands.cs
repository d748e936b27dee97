using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Estafeta.Cli;

public static class SegmentsCommands
{
    public static Command Create()
    {
        var command = new Command("segments", "Count, save, list and remove segments (the language is described in docs/segments.md)");
        command.Subcommands.Add(Count());
        command.Subcommands.Add(Save());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Count()
    {
        var expression = new Argument<string>("expression") { Description = "A segment expression, e.g. 'country = \"ES\" and opened(within: 30d)', or the name of a saved segment" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts: the expression, the count and the milliseconds taken to compile and count" };
        var command = new Command("count", "Count the contacts a segment selects now") { expression, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var started = Stopwatch.GetTimestamp();
            var query = await audience.Segments.ResolveAsync(parse.GetValue(expression)!, ct);
            StartupTrace.Mark("segment compiled");
            var count = await audience.Segments.CountAsync(query, ct);
            var milliseconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            StartupTrace.Mark("counted");
            if (parse.GetValue(json)) Output.WriteJson(new { expression = query.Expression, count, milliseconds, warnings = query.Warnings });
            else Output.Done(count.ToString(CultureInfo.InvariantCulture));
            if (!parse.GetValue(json)) Output.Warn(query.Warnings);
            return 0;
        }));
        return command;
    }

    private static Command Save()
    {
        var name = new Argument<string>("name") { Description = "Segment name" };
        var expression = new Argument<string>("expression") { Description = "Segment expression (evaluated each time the segment is used)" };
        var command = new Command("save", "Save (or replace) a named segment") { name, expression };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var segment = await audience.Segments.SaveAsync(parse.GetValue(name)!, parse.GetValue(expression)!, ct);
            var query = await audience.Segments.ResolveAsync(segment.Name, ct);
            var count = await audience.Segments.CountAsync(query, ct);
            Output.Done(string.Create(CultureInfo.InvariantCulture, $"Saved segment {segment.Name} (id {segment.Id}): {count:N0} {(count == 1 ? "contact" : "contacts")} now."));
            Output.Warn(query.Warnings);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List the saved segments") { json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var segments = await audience.Segments.ListAsync(ct);
            if (parse.GetValue(json)) Output.WriteJson(segments.Select(s => new { id = s.Id, name = s.Name, expression = s.Expression, updated = s.UpdatedAt }));
            else Output.WriteTable(["Id", "Segment", "Expression"], segments.Select(s => new[] { s.Id.ToString(CultureInfo.InvariantCulture), s.Name, s.Expression }),
                "No saved segments. Save one with: estafeta segments save activos 'opened(within: 90d)'");
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var segment = new Argument<string>("segment") { Description = "The saved segment's name or id" };
        var command = new Command("remove", "Remove a saved segment (the contacts it selected are not touched)") { segment };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var given = parse.GetValue(segment)!.Trim();
            var found = await audience.Segments.FindAsync(given, ct)
                ?? (long.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await audience.Segments.GetAsync(id, ct) : null);
            if (found is null) return Output.Fail($"there is no saved segment {given}; see estafeta segments list");
            await audience.Segments.RemoveAsync(found.Id, ct);
            Output.Done($"Removed segment {found.Name} (id {found.Id}).");
            return 0;
        }));
        return command;
    }
}
