using System.CommandLine;
using System.Globalization;
using System.Net;
using Estafeta.Mail.Authentication;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary>The mail-authentication verbs of <c>estafeta domain</c>: records, check, rotate-dkim, set.</summary>
public static class DomainAuthVerbs
{
    public static void AddTo(Command domain)
    {
        domain.Subcommands.Add(Records());
        domain.Subcommands.Add(Check());
        domain.Subcommands.Add(RotateDkim());
        domain.Subcommands.Add(Set());
    }

    /// <summary>The first DKIM keys of a domain just added; the lines to print.</summary>
    public static async Task<string> CreateKeysAsync(Database db, string domain, CancellationToken ct)
    {
        var keys = await new DkimKeyStore(db, TimeProvider.System).CreateInitialKeysAsync(domain, ct);
        return $"Created DKIM keys {string.Join(" and ", keys.Select(k => $"{k.Selector} ({k.Algorithm})"))}; publish the records shown by: estafeta domain records {domain}";
    }

    private static Command Records()
    {
        var name = new Argument<string>("domain") { Description = "Local domain" };
        var options = new DnsVerbOptions();
        var command = new Command("records", "Print the DNS records to publish for a domain (MX, SPF, DKIM, DMARC, MTA-STS, TLS-RPT) as zone-file lines") { name };
        options.AddTo(command);
        command.SetAction((parse, ct) => DomainAuthVerbsRunner.RunAsync(parse, options, name, async (context, domain) =>
        {
            var set = await context.Domains.RecordsAsync(domain, ct);
            if (context.Json)
            {
                Output.WriteJson(new
                {
                    domain = set.Domain,
                    records = set.Records.Select(r => new { purpose = r.Purpose, name = r.Name, type = r.Type, value = r.Value, strings = r.Strings, zoneLine = r.ZoneLine, note = r.Note }),
                    mtaStsPolicy = set.MtaStsPolicy,
                    nextSteps = set.NextSteps,
                    problems = set.Problems,
                });
                return 0;
            }
            var o = Console.Out;
            await o.WriteLineAsync($"; DNS records to publish for {set.Domain}");
            foreach (var problem in set.Problems) await o.WriteLineAsync("; to do: " + problem);
            foreach (var record in set.Records)
            {
                await o.WriteLineAsync();
                await o.WriteLineAsync($"; {record.Purpose}{(record.Note is null ? "" : ": " + record.Note)}");
                await o.WriteLineAsync(record.ZoneLine);
            }
            await o.WriteLineAsync();
            await o.WriteLineAsync($"; MTA-STS policy file, served at https://mta-sts.{set.Domain}/.well-known/mta-sts.txt:");
            foreach (var line in set.MtaStsPolicy.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)) await o.WriteLineAsync(";   " + line);
            await o.WriteLineAsync();
            await o.WriteLineAsync("; Next steps:");
            foreach (var step in set.NextSteps) await o.WriteLineAsync("; - " + step);
            return 0;
        }));
        return command;
    }

    private static Command Check()
    {
        var name = new Argument<string>("domain") { Description = "Local domain" };
        var options = new DnsVerbOptions();
        var command = new Command("check", "Query DNS and report each record of the domain as ok, missing, wrong, weak or pending (a rotated DKIM key not published yet), with the exact fix (exit status 1 when something required is missing or wrong)") { name };
        options.AddTo(command);
        command.SetAction((parse, ct) => DomainAuthVerbsRunner.RunAsync(parse, options, name, async (context, domain) =>
        {
            var result = await context.Domains.CheckAsync(domain, ct);
            if (context.Json)
            {
                Output.WriteJson(new
                {
                    domain = result.Domain,
                    ok = !result.HasProblems,
                    checks = result.Checks.Select(c => new { record = c.Record, name = c.Name, status = Word(c.Status), required = c.Required, detail = c.Detail, fix = c.Fix }),
                    activatedSelectors = result.PendingKeysSeen.Select(k => k.Selector),
                });
            }
            else
            {
                // An ok row says what it found (the addresses SPF authorises, the DMARC policy); a problem's detail and its fix
                // follow the table.
                Output.WriteTable(["Status", "Record", "Name", "Found"],
                    result.Checks.Select(c => new[] { Word(c.Status) + (c.Required ? "" : " (optional)"), c.Record, c.Name,
                        c.Status == RecordStatus.Ok ? c.Detail.Split('\n')[0] : "see below" }), "Nothing to check.");
                foreach (var c in result.Checks.Where(c => c.Status != RecordStatus.Ok || c.Fix is not null))
                {
                    await Console.Out.WriteLineAsync();
                    await Console.Out.WriteLineAsync($"{Word(c.Status)}: {c.Record} {c.Name}");
                    foreach (var line in c.Detail.Split('\n')) await Console.Out.WriteLineAsync("  " + line);
                    if (c.Fix is not null) await Console.Out.WriteLineAsync("  fix: " + c.Fix);
                }
                foreach (var key in result.PendingKeysSeen)
                    await Console.Out.WriteLineAsync($"\nDKIM selector {key.Selector} is published: mail from {domain} is signed with it from now on.");
                await Console.Out.WriteLineAsync(result.HasProblems ? $"\n{domain}: records need fixing." : $"\n{domain}: all required records are in place.");
            }
            return result.HasProblems ? 1 : 0;
        }));
        return command;
    }

    private static Command RotateDkim()
    {
        var name = new Argument<string>("domain") { Description = "Local domain" };
        var options = new DnsVerbOptions();
        var command = new Command("rotate-dkim", "Create new DKIM keys (RSA-2048 and Ed25519); signing switches to them once domain check sees them in DNS") { name };
        options.AddTo(command);
        command.SetAction((parse, ct) => DomainAuthVerbsRunner.RunAsync(parse, options, name, async (context, domain) =>
        {
            var created = await context.Domains.Keys.RotateAsync(domain, ct);
            var lines = created.Select(k => DomainRecords.Dkim(k, context.Domains.Keys.PrivateKey(k)).ZoneLine).ToList();
            if (context.Json)
            {
                Output.WriteJson(new { domain, selectors = created.Select(k => new { selector = k.Selector, algorithm = k.Algorithm, state = "pending" }), zoneLines = lines, gracePeriodDays = DkimKeyStore.GracePeriod.TotalDays });
                return 0;
            }
            await Console.Out.WriteLineAsync($"New DKIM keys for {domain}: {string.Join(", ", created.Select(k => k.Selector))}. Publish:");
            foreach (var line in lines) await Console.Out.WriteLineAsync(line);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Mail is still signed with the current keys until estafeta domain check {domain} (or the running server, hourly) sees the new ones; the old records then stay listed for {DkimKeyStore.GracePeriod.TotalDays:0} days before you may remove them."));
            return 0;
        }));
        return command;
    }

    private static Command Set()
    {
        var name = new Argument<string>("domain") { Description = "Local domain" };
        var options = new DnsVerbOptions();
        var ips = new Option<string[]>("--sending-ip") { Description = "An address this server sends the domain's mail from (repeat for several); the SPF record must authorise them", AllowMultipleArgumentsPerToken = false };
        var clear = new Option<bool>("--clear-sending-ips") { Description = "Forget the sending addresses: use the addresses of --hostname again" };
        var command = new Command("set", "Change a domain's mail-authentication settings") { name, ips, clear };
        options.AddTo(command);
        command.SetAction((parse, ct) => DomainAuthVerbsRunner.RunAsync(parse, options, name, async (context, domain) =>
        {
            var given = parse.GetValue(ips) ?? [];
            if (given.Length == 0 && !parse.GetValue(clear)) return Output.Fail("nothing to set: give --sending-ip ADDRESS (repeatable) or --clear-sending-ips.");
            var addresses = new List<IPAddress>();
            foreach (var text in given)
            {
                if (!IPAddress.TryParse(text, out var address)) return Output.Fail($"--sending-ip '{text}' is not an IP address (for example 203.0.113.7 or 2001:db8::7).");
                addresses.Add(address);
            }
            await context.Domains.SetSendingAddressesAsync(domain, addresses, ct);
            Output.Done(addresses.Count == 0
                ? $"{domain}: sending addresses cleared; the addresses of {context.Settings.HostName} are used."
                : $"{domain}: sending addresses {string.Join(", ", addresses)}. See the SPF record with: estafeta domain records {domain}");
            return 0;
        }));
        return command;
    }

    public static string Word(RecordStatus status) => status.ToString().ToLowerInvariant();
}
