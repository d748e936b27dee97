using System.CommandLine;
using System.Globalization;
using Estafeta.Mail.Authentication;
using Microsoft.Extensions.Logging.Abstractions;

namespace Estafeta.Cli;

/// <summary><c>estafeta tlsrpt</c>: the SMTP TLS reports (RFC 8460) other senders sent about delivering to our domains.</summary>
public static class TlsReportCommands
{
    public static Command Create()
    {
        var tlsrpt = new Command("tlsrpt", "SMTP TLS reports (RFC 8460) received about our domains at tls-reports@DOMAIN");
        tlsrpt.Subcommands.Add(Summary());
        return tlsrpt;
    }

    private static Command Summary()
    {
        var domain = new Option<string?>("--domain") { Description = "Only this policy domain" };
        var since = new Option<string?>("--since") { Description = "Only reports whose period ended this long ago or later: 7d, 24h (default: all)" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("summary", "Summarise the TLS reports received: per policy domain, successful and failed sessions, failure types and the sending MTAs that reported them") { domain, since, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            TimeSpan? window;
            try { window = DurationParser.Parse(parse.GetValue(since)); }
            catch (FormatException e) { return Output.Fail("--since " + e.Message); }
            var from = window is { } w ? DateTimeOffset.UtcNow - w : (DateTimeOffset?)null;
            var summaries = await new TlsReportIntake(db, NullLogger.Instance).SummaryAsync(parse.GetValue(domain), from, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(summaries.Select(s => new
                {
                    policyDomain = s.PolicyDomain, reports = s.Reports, successfulSessions = s.SuccessfulSessions, failedSessions = s.FailedSessions,
                    failureRate = s.FailureRate, policyTypes = s.PolicyTypes, organizations = s.Organizations,
                    failures = s.Failures.Select(f => new
                    {
                        resultType = f.ResultType, sessions = f.Sessions, receivingMxHosts = f.ReceivingMxHosts, organizations = f.Organizations,
                        sendingMtas = f.SendingMtas.Select(m => new { sendingMtaIp = m.SendingMtaIp.Length == 0 ? null : m.SendingMtaIp, sessions = m.Sessions }),
                    }),
                }));
                return 0;
            }
            static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
            Output.WriteTable(["Policy domain", "Reports", "Successful", "Failed", "Failure rate", "Policies", "Reporters"],
                summaries.Select(s => new[]
                {
                    s.PolicyDomain, s.Reports.ToString(CultureInfo.InvariantCulture), N(s.SuccessfulSessions), N(s.FailedSessions),
                    s.FailureRate.ToString("P1", CultureInfo.InvariantCulture), string.Join(", ", s.PolicyTypes), string.Join(", ", s.Organizations),
                }),
                "No TLS reports received" + (window is null ? "" : " in that period") + ". Publish the TLS-RPT record of estafeta domain records DOMAIN (rua=mailto:tls-reports@DOMAIN).");
            foreach (var s in summaries.Where(s => s.Failures.Count > 0))
            {
                Output.Done($"\nFailures reported for {s.PolicyDomain}:");
                Output.WriteTable(["Result type", "Sessions", "Sending MTAs", "MX hosts", "Reporters"],
                    s.Failures.Select(f => new[]
                    {
                        f.ResultType, N(f.Sessions),
                        string.Join(", ", f.SendingMtas.Select(m => $"{(m.SendingMtaIp.Length == 0 ? "(not given)" : m.SendingMtaIp)} ({N(m.Sessions)})")),
                        string.Join(", ", f.ReceivingMxHosts), string.Join(", ", f.Organizations),
                    }), "none");
            }
            return 0;
        }));
        return command;
    }
}
