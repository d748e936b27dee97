using System.CommandLine;
using System.Globalization;
using System.Net;
using Estafeta.Hosting;
using Estafeta.Mail;
using Estafeta.Mail.Authentication;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Spf;
using Estafeta.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Estafeta.Cli;

/// <summary>
/// <c>estafeta auth</c>: check verbs for people who debug mail authentication (spf, dkim-verify, dmarc,
/// dkim-sign; each prints the result word first, then the details, or JSON), and <c>estafeta dmarc</c>:
/// the aggregate reports received (summary) and sent (send-reports).
/// </summary>
public static class AuthCommands
{
    public static IEnumerable<Command> Create()
    {
        var auth = new Command("auth", "Check SPF, DKIM and DMARC by hand, and sign a message with a domain's stored keys");
        auth.Subcommands.Add(Spf());
        auth.Subcommands.Add(DkimVerify());
        auth.Subcommands.Add(Dmarc());
        auth.Subcommands.Add(DkimSign());
        yield return auth;
        var dmarc = new Command("dmarc", "DMARC aggregate reports: those received about our domains, and those we send");
        dmarc.Subcommands.Add(Summary());
        dmarc.Subcommands.Add(SendReports());
        yield return dmarc;
        yield return TlsReportCommands.Create();
    }

    private sealed record Envelope(Option<string> Ip, Option<string?> MailFrom, Option<string?> Helo);

    private static Envelope EnvelopeOptions(Command command)
    {
        var envelope = new Envelope(
            new Option<string>("--ip") { Description = "The client address that sent the message", Required = true },
            new Option<string?>("--mail-from") { Description = "The MAIL FROM address (empty or absent: the null sender, HELO is checked)" },
            new Option<string?>("--helo") { Description = "The HELO/EHLO name the client gave" });
        command.Options.Add(envelope.Ip);
        command.Options.Add(envelope.MailFrom);
        command.Options.Add(envelope.Helo);
        return envelope;
    }

    private static Command Spf()
    {
        var command = new Command("spf", "Evaluate SPF (RFC 7208) for a client address and MAIL FROM (or HELO)");
        var envelope = EnvelopeOptions(command);
        var options = new DnsVerbOptions();
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, async settings =>
        {
            if (!IPAddress.TryParse(parse.GetValue(envelope.Ip), out var ip)) return Output.Fail($"--ip '{parse.GetValue(envelope.Ip)}' is not an IP address.");
            var result = await CheckSpfAsync(new SpfEvaluator(DnsVerbOptions.Resolver(settings)), ip, parse.GetValue(envelope.MailFrom), parse.GetValue(envelope.Helo), ct);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(new { result = AuthenticationCheck.Keyword(result.Result), domain = result.Domain, mechanism = result.Mechanism, lookups = result.LookupCount, voidLookups = result.VoidLookupCount, explanation = result.Explanation, problem = result.Problem });
                return ExitStatus(result.Result == SpfResult.Pass);
            }
            await Console.Out.WriteLineAsync(AuthenticationCheck.Keyword(result.Result));
            await Console.Out.WriteLineAsync(SpfDetails(result));
            return ExitStatus(result.Result == SpfResult.Pass);
        }));
        return command;
    }

    private static Command DkimVerify()
    {
        var command = new Command("dkim-verify", "Verify every DKIM signature of the message read from standard input");
        var options = new DnsVerbOptions();
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, async settings =>
        {
            var message = await MessageBytes.ReadAllAsync(Console.OpenStandardInput(), ct);
            var results = await new DkimVerifier(DnsVerbOptions.Resolver(settings)).VerifyAsync(message, ct);
            var word = OverallDkim(results);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(new { result = word, signatures = results.Select(r => new { result = r.Keyword, reason = r.Reason, domain = r.Domain, selector = r.Selector, algorithm = r.Algorithm }) });
                return ExitStatus(word == "pass");
            }
            await Console.Out.WriteLineAsync(word);
            foreach (var r in results) await Console.Out.WriteLineAsync(r.ToAuthenticationResults());
            return ExitStatus(word == "pass");
        }));
        return command;
    }

    private static Command Dmarc()
    {
        var command = new Command("dmarc", "Evaluate SPF, DKIM and DMARC for the message read from standard input, as the MX would");
        var envelope = EnvelopeOptions(command);
        var options = new DnsVerbOptions();
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, async settings =>
        {
            if (!IPAddress.TryParse(parse.GetValue(envelope.Ip), out var ip)) return Output.Fail($"--ip '{parse.GetValue(envelope.Ip)}' is not an IP address.");
            var dns = DnsVerbOptions.Resolver(settings);
            var message = await MessageBytes.ReadAllAsync(Console.OpenStandardInput(), ct);
            var spf = await CheckSpfAsync(new SpfEvaluator(dns), ip, parse.GetValue(envelope.MailFrom), parse.GetValue(envelope.Helo), ct);
            var dkim = await new DkimVerifier(dns).VerifyAsync(message, ct);
            var headers = MessageBytes.Headers(message);
            var from = Inbound(headers);
            var dmarc = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcRequest
            {
                FromDomains = from,
                Spf = new DmarcSpfInput(spf.Domain, spf.Result == SpfResult.Pass),
                Dkim = [.. dkim.Where(d => d.Domain is not null).Select(d => new DmarcDkimInput(d.Domain!, d.Status == DkimStatus.Pass))],
            }, ct);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(new
                {
                    result = dmarc.Status.ToKeyword(), disposition = dmarc.Disposition.ToKeyword(), fromDomain = dmarc.FromDomain, policyDomain = dmarc.PolicyDomain,
                    policy = dmarc.RequestedPolicy?.ToKeyword(), reason = dmarc.Reason, spfAligned = dmarc.SpfAligned, dkimAligned = dmarc.AlignedDkimDomain,
                    spf = new { result = AuthenticationCheck.Keyword(spf.Result), domain = spf.Domain },
                    dkim = dkim.Select(r => new { result = r.Keyword, domain = r.Domain, selector = r.Selector, reason = r.Reason }),
                });
                return ExitStatus(dmarc.Status == DmarcStatus.Pass);
            }
            await Console.Out.WriteLineAsync(dmarc.Status.ToKeyword());
            await Console.Out.WriteLineAsync(dmarc.ToAuthenticationResults());
            await Console.Out.WriteLineAsync($"reason: {dmarc.Reason}");
            await Console.Out.WriteLineAsync($"disposition: {dmarc.Disposition.ToKeyword()}{(dmarc.PolicyTestMode ? " (t=y: testing, not applied)" : "")}");
            await Console.Out.WriteLineAsync($"spf={AuthenticationCheck.Keyword(spf.Result)} {SpfDetails(spf).Replace("\n", "; ", StringComparison.Ordinal)}");
            foreach (var r in dkim) await Console.Out.WriteLineAsync(r.ToAuthenticationResults());
            return ExitStatus(dmarc.Status == DmarcStatus.Pass);
        }));
        return command;
    }

    private static Command DkimSign()
    {
        var command = new Command("dkim-sign", "Sign the message read from standard input with a domain's stored DKIM keys and print the signed message");
        var domain = new Option<string>("--domain") { Description = "The signing domain (d=); a local domain with keys", Required = true };
        var selector = new Option<string?>("--selector") { Description = "Sign with this selector only (default: the domain's active RSA and Ed25519 keys)" };
        command.Options.Add(domain);
        command.Options.Add(selector);
        var options = new DnsVerbOptions();
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, async settings =>
        {
            await using var db = Database.Create(settings.DataDirectory, settings.Database);
            await db.MigrateAsync(ct);
            var name = MailAddressCanonical.Domain(parse.GetValue(domain)!);
            var signing = new OutboundSigning(new DkimKeyStore(db, TimeProvider.System), DnsVerbOptions.Resolver(settings), settings.HostName, TimeProvider.System);
            var message = LineEnds(await MessageBytes.ReadAllAsync(Console.OpenStandardInput(), ct));
            var fields = await signing.DkimFieldsAsync(message, ct, name, parse.GetValue(selector));
            if (fields.Length == 0)
                return Output.Fail(parse.GetValue(selector) is { } s ? $"{name} has no DKIM selector {s}." : $"{name} has no active DKIM keys; create them with: estafeta domain rotate-dkim {name}");
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(new { result = "signed", domain = name, signatures = fields.Split("\r\nDKIM-Signature:", StringSplitOptions.None).Length, message = fields + System.Text.Encoding.UTF8.GetString(message.Span) });
                return 0;
            }
            await Console.Error.WriteLineAsync($"signed: d={name}");
            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(System.Text.Encoding.UTF8.GetBytes(fields), ct);
            await stdout.WriteAsync(message, ct);
            return 0;
        }));
        return command;
    }

    private static Command Summary()
    {
        var domain = new Option<string?>("--domain") { Description = "Only this domain" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("summary", "Summarise the aggregate reports received: sources, pass rates, senders that fail authentication") { domain, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var summaries = await new DmarcReportIntake(db, NullLogger.Instance).SummaryAsync(parse.GetValue(domain), ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(summaries.Select(s => new
                {
                    domain = s.Domain, reports = s.Reports, messages = s.Messages, spfPassRate = s.SpfPassRate, dkimPassRate = s.DkimPassRate, dmarcPassRate = s.DmarcPassRate,
                    sources = s.Sources.Select(x => new { sourceIp = x.SourceIp, messages = x.Messages, spfPass = x.SpfPass, dkimPass = x.DkimPass, dmarcPass = x.DmarcPass, headerFrom = x.HeaderFromDomains }),
                    unauthenticated = s.UnauthenticatedSources.Select(x => new { sourceIp = x.SourceIp, messages = x.Messages, failed = x.DmarcFailed }),
                }));
                return 0;
            }
            static string Percent(double rate) => rate.ToString("P0", CultureInfo.InvariantCulture);
            Output.WriteTable(["Domain", "Reports", "Messages", "SPF pass", "DKIM pass", "DMARC pass"],
                summaries.Select(s => new[] { s.Domain, s.Reports.ToString(CultureInfo.InvariantCulture), s.Messages.ToString(CultureInfo.InvariantCulture), Percent(s.SpfPassRate), Percent(s.DkimPassRate), Percent(s.DmarcPassRate) }),
                "No DMARC aggregate reports received yet. Publish rua=mailto:dmarc-reports@DOMAIN (see estafeta domain records DOMAIN).");
            foreach (var s in summaries)
            {
                Output.Done($"\nSources of {s.Domain}:");
                Output.WriteTable(["Source", "Messages", "DMARC pass", "Failing"],
                    s.Sources.Select(x => new[] { x.SourceIp, x.Messages.ToString(CultureInfo.InvariantCulture), x.DmarcPass.ToString(CultureInfo.InvariantCulture), x.DmarcFailed.ToString(CultureInfo.InvariantCulture) }), "none");
                var failing = s.UnauthenticatedSources;
                Output.Done(failing.Count == 0
                    ? $"Every source of {s.Domain} authenticates."
                    : $"Unauthenticated senders using {s.Domain}: {string.Join(", ", failing.Select(f => $"{f.SourceIp} ({f.DmarcFailed})"))}");
            }
            return 0;
        }));
        return command;
    }

    private static Command SendReports()
    {
        var date = new Option<string?>("--date") { Description = "The UTC day to report, YYYY-MM-DD (default: yesterday)" };
        var options = new DnsVerbOptions();
        var command = new Command("send-reports", "Build the DMARC aggregate reports of a day and queue them to each domain's rua= (the server does it daily)") { date };
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, async settings =>
        {
            var day = DateOnly.FromDateTime(DateTime.UtcNow.Date.AddDays(-1));
            if (parse.GetValue(date) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                return Output.Fail($"--date '{text}' is not a day; write it like 2026-11-05.");
            await using var db = Database.Create(settings.DataDirectory, settings.Database);
            await db.MigrateAsync(ct);
            await using var engine = new MailEngine(db, new MailEngineOptions(settings.HostName, settings.MaxMessageSize), TimeProvider.System, NullLoggerFactory.Instance, DnsVerbOptions.Resolver(settings));
            var runs = await new DmarcReportSender(engine, NullLogger.Instance).SendAsync(day, ct);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(runs.Select(r => new { domain = r.Domain, day = r.Day, outcome = r.Outcome, messages = r.Messages, destinations = r.Destinations, queueId = r.QueueId }));
                return 0;
            }
            Output.WriteTable(["Domain", "Messages", "Outcome", "To"],
                runs.Select(r => new[] { r.Domain, r.Messages.ToString(CultureInfo.InvariantCulture), r.Outcome, string.Join(", ", r.Destinations) }),
                $"No DMARC outcomes recorded on {day:yyyy-MM-dd}: nothing to report.");
            return 0;
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, DnsVerbOptions options, Func<BootSettings, Task<int>> action)
    {
        try
        {
            return await action(options.Settings(parse));
        }
        catch (BootSettingsException e) { return Output.Fail(e.Message); }
        catch (StorageException e) { return Output.Fail(e.Message); }
    }

    private static Task<SpfCheckResult> CheckSpfAsync(SpfEvaluator spf, IPAddress ip, string? mailFrom, string? helo, CancellationToken ct) =>
        string.IsNullOrEmpty(mailFrom)
            ? spf.CheckAsync(SpfRequest.ForHelo(ip, helo ?? ""), ct)
            : spf.CheckAsync(SpfRequest.ForMailFrom(ip, mailFrom, helo ?? ""), ct);

    private static string SpfDetails(SpfCheckResult result)
    {
        var lines = new List<string> { $"domain: {result.Domain}" };
        if (result.Mechanism is not null) lines.Add($"mechanism: {result.Mechanism}{(result.MechanismDomain is { } d && d != result.Domain ? " (in " + d + ")" : "")}");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"lookups: {result.LookupCount} (void: {result.VoidLookupCount})"));
        if (result.Explanation is not null) lines.Add($"explanation: {result.Explanation}");
        if (result.Problem is not null) lines.Add($"problem: {result.Problem}");
        if (result.SyntaxError is { } error) lines.Add(error.Describe());
        return string.Join('\n', lines);
    }

    /// <summary>The check verbs' exit status, for scripts: 0 when the result is pass, 1 for any other result (as for a
    /// command that could not run, which also prints why on stderr).</summary>
    private static int ExitStatus(bool pass) => pass ? 0 : 1;

    /// <summary>pass when a signature verified; otherwise the result of the first signature (none when unsigned).</summary>
    private static string OverallDkim(IReadOnlyList<DkimResult> results) =>
        results.Any(r => r.Status == DkimStatus.Pass) ? "pass" : results[0].Keyword;

    private static List<string> Inbound(MimeKit.HeaderList headers) =>
        [.. Estafeta.Mail.Inbound.EnvelopeReader.Addresses(headers, MimeKit.HeaderId.From).Where(a => a.Contains('@')).Select(a => a[(a.LastIndexOf('@') + 1)..])];

    /// <summary>A message piped in from a Unix file has bare LF line ends: make them CRLF, as they are on the wire.</summary>
    private static ReadOnlyMemory<byte> LineEnds(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.IndexOf((byte)'\n') < 0 || span.IndexOf("\r\n"u8) >= 0) return message;
        var output = new List<byte>(span.Length + span.Length / 40);
        foreach (var b in span)
        {
            if (b == (byte)'\n') output.Add((byte)'\r');
            output.Add(b);
        }
        return output.ToArray();
    }
}
