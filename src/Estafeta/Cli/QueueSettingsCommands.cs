using System.CommandLine;
using System.Globalization;
using Estafeta.Mail.Outbound;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary>The MTA's product settings under <c>estafeta queue</c>: routes (transport map), per-destination
/// limits, warm-up schedules and named settings.</summary>
public static class QueueSettingsCommands
{
    public static Command Routes()
    {
        var command = new Command("route", "Routing table: send a domain's mail (or all, with *) to a given host instead of its MX");
        var dest = new Argument<string>("destination") { Description = "Recipient domain, or * for every domain without a route of its own" };
        var target = new Argument<string>("host:port") { Description = "Where to send it, e.g. smtp.relay.example:587 or 127.0.0.1:2525" };
        var tls = new Option<bool>("--tls-required") { Description = "Refuse to send unless STARTTLS succeeds" };
        var user = new Option<string?>("--auth-user") { Description = "Log in to the smart host as this user" };
        var password = new Option<bool>("--auth-password-stdin") { Description = "Read the smart host password from standard input" };
        var add = new Command("add", "Add or replace a route") { dest, target, tls, user, password };
        add.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var text = parse.GetValue(target)!;
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                return Output.Fail($"give the route's target as host:port, not '{text}'.");
            var secret = parse.GetValue(password) ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') : null;
            await new OutboundSettingsStore(db).SetRouteAsync(new OutboundRoute(parse.GetValue(dest)!, text[..colon].Trim('[', ']'), port, parse.GetValue(tls), parse.GetValue(user), secret), ct);
            Output.Done($"Mail for {parse.GetValue(dest)} now goes to {text}.");
            return 0;
        }));
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var list = new Command("list", "List the routes") { json };
        list.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var routes = await new OutboundSettingsStore(db).RoutesAsync(ct);
            if (parse.GetValue(json)) Output.WriteJson(routes.Select(r => new { destination = r.Destination, host = r.Host, port = r.Port, tlsRequired = r.TlsRequired, authUser = r.AuthUser }));
            else Output.WriteTable(["Destination", "Host", "Port", "TLS", "Login"],
                routes.Select(r => new[] { r.Destination, r.Host, r.Port.ToString(CultureInfo.InvariantCulture), r.TlsRequired ? "required" : "opportunistic", r.AuthUser ?? "-" }),
                "No routes: mail goes to each domain's MX.");
            return 0;
        }));
        var removeDest = new Argument<string>("destination") { Description = "Domain or *" };
        var remove = new Command("remove", "Remove a route") { removeDest };
        remove.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new OutboundSettingsStore(db).RemoveRouteAsync(parse.GetValue(removeDest)!, ct);
            Output.Done($"Route for {parse.GetValue(removeDest)} removed.");
            return 0;
        }));
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }

    public static Command Limits()
    {
        var command = new Command("limit", "Per-destination limits: connections, messages per minute, messages per connection");
        var pattern = new Argument<string>("pattern") { Description = "gmail.com, *.example.com, or mx:*.google.com (matched against the first MX host)" };
        var max = new Option<int>("--max-connections") { Description = "Concurrent connections", DefaultValueFactory = _ => 5 };
        var perMinute = new Option<int>("--per-minute") { Description = "Messages per minute (0: no limit)" };
        var perConnection = new Option<int>("--per-connection") { Description = "Messages per connection (0: the default)" };
        var set = new Command("set", "Add or replace a limit") { pattern, max, perMinute, perConnection };
        set.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new OutboundSettingsStore(db).SetLimitAsync(new DestinationLimit(parse.GetValue(pattern)!, parse.GetValue(max), parse.GetValue(perMinute), parse.GetValue(perConnection)), ct);
            Output.Done($"Limit for {parse.GetValue(pattern)} set.");
            return 0;
        }));
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var list = new Command("list", "List the limits") { json };
        list.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var limits = await new OutboundSettingsStore(db).LimitsAsync(ct);
            if (parse.GetValue(json)) Output.WriteJson(limits.Select(l => new { pattern = l.Pattern, maxConnections = l.MaxConnections, perMinute = l.MessagesPerMinute, perConnection = l.MessagesPerConnection }));
            else Output.WriteTable(["Pattern", "Connections", "Per minute", "Per connection"],
                limits.Select(l => new[] { l.Pattern, N(l.MaxConnections), l.MessagesPerMinute == 0 ? "-" : N(l.MessagesPerMinute), l.MessagesPerConnection == 0 ? "-" : N(l.MessagesPerConnection) }),
                "No limits: every destination gets the defaults (see queue settings).");
            return 0;
        }));
        var removePattern = new Argument<string>("pattern") { Description = "The pattern to remove" };
        var remove = new Command("remove", "Remove a limit") { removePattern };
        remove.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new OutboundSettingsStore(db).RemoveLimitAsync(parse.GetValue(removePattern)!, ct);
            Output.Done($"Limit for {parse.GetValue(removePattern)} removed.");
            return 0;
        }));
        command.Subcommands.Add(set);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }

    public static Command Warmup()
    {
        var command = new Command("warmup", "Warm-up schedules: a daily cap per sending domain that grows over N days");
        var domain = new Argument<string>("domain") { Description = "Sending domain (the envelope sender's domain)" };
        var first = new Option<int>("--first-day") { Description = "Recipients on the first day", DefaultValueFactory = _ => 200 };
        var days = new Option<int>("--days") { Description = "Days until the cap is lifted", DefaultValueFactory = _ => 30 };
        var final = new Option<int>("--final") { Description = "Cap on the last day of warm-up", DefaultValueFactory = _ => 100_000 };
        var start = new Option<string?>("--start") { Description = "First day (yyyy-MM-dd, UTC; default today)" };
        var set = new Command("set", "Start or replace a warm-up schedule") { domain, first, days, final, start };
        set.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var started = DateTimeOffset.UtcNow;
            if (parse.GetValue(start) is { } s && !DateTimeOffset.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out started))
                return Output.Fail($"--start takes a date like 2025-03-01, not '{s}'.");
            await new OutboundSettingsStore(db).SetWarmupAsync(new WarmupSchedule(parse.GetValue(domain)!, started, parse.GetValue(first), parse.GetValue(days), parse.GetValue(final)), ct);
            Output.Done($"Warm-up of {parse.GetValue(domain)}: {parse.GetValue(first)} recipients on day 1, growing to {parse.GetValue(final)} on day {parse.GetValue(days)}.");
            return 0;
        }));
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var list = new Command("list", "List warm-up schedules with today's cap") { json };
        list.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var schedules = await new OutboundSettingsStore(db).WarmupsAsync(ct);
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(json)) Output.WriteJson(schedules.Select(w => new { domain = w.SendingDomain, started = w.StartedAt, firstDay = w.FirstDayCap, days = w.Days, final = w.FinalCap, capToday = w.CapOn(now) }));
            else Output.WriteTable(["Domain", "Started", "Day 1", "Days", "Final", "Cap today"],
                schedules.Select(w => new[] { w.SendingDomain, w.StartedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(w.FirstDayCap), N(w.Days), N(w.FinalCap), w.CapOn(now)?.ToString(CultureInfo.InvariantCulture) ?? "none" }),
                "No warm-up schedules.");
            return 0;
        }));
        var removeDomain = new Argument<string>("domain") { Description = "Sending domain" };
        var remove = new Command("remove", "End a warm-up schedule") { removeDomain };
        remove.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new OutboundSettingsStore(db).RemoveWarmupAsync(parse.GetValue(removeDomain)!, ct);
            Output.Done($"Warm-up of {parse.GetValue(removeDomain)} removed.");
            return 0;
        }));
        command.Subcommands.Add(set);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }

    public static Command Settings()
    {
        var name = new Argument<string?>("name") { Description = "Setting to change", Arity = ArgumentArity.ZeroOrOne };
        var value = new Argument<string?>("value") { Description = "New value (seconds or a count)", Arity = ArgumentArity.ZeroOrOne };
        var reset = new Option<bool>("--reset") { Description = "Put the setting back to its default" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("settings", "Show the MTA settings, or change one: queue settings lifetime 259200") { name, value, reset, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var store = new OutboundSettingsStore(db);
            if (parse.GetValue(name) is { } n)
            {
                if (parse.GetValue(reset))
                {
                    await store.SetValueAsync(n, null, ct);
                    Output.Done($"{n} is back to its default.");
                    return 0;
                }
                var v = parse.GetValue(value);
                if (v is null) return Output.Fail($"give a value for {n}, or --reset.");
                if (DeliverySettings.Validate(n, v) is { } problem) return Output.Fail(problem + ".");
                await store.SetValueAsync(n, v, ct);
                Output.Done($"{n} = {v}.");
                return 0;
            }
            var values = await store.ValuesAsync(ct);
            var rows = DeliverySettings.Names.Select(s => new { name = s.Name, value = values.GetValueOrDefault(s.Name) ?? s.Default, isDefault = !values.ContainsKey(s.Name), help = s.Help }).ToList();
            if (parse.GetValue(json)) Output.WriteJson(rows);
            else Output.WriteTable(["Setting", "Value", "", "Meaning"], rows.Select(r => new[] { r.name, r.value, r.isDefault ? "default" : "set", r.help }), "");
            return 0;
        }));
        return command;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
