using Estafeta.Mail.Authentication;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Hosting;

/// <summary>
/// Serves the MTA-STS policy of every local domain (RFC 8461 §3.3): a sender fetches
/// <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c>, so the domain is taken from the Host header. The policy is
/// the one <c>estafeta domain records</c> prints (and whose id= it publishes). Our HTTP listener speaks plain HTTP;
/// in production a TLS-terminating proxy with a certificate for <c>mta-sts.DOMAIN</c> sits in front of it, as the
/// README shows. Answers 404 for hosts that are not <c>mta-sts.</c> plus a local domain, and never redirects
/// (senders must not follow redirects, §3.3).
/// </summary>
public static class MtaStsPolicyEndpoint
{
    public const string PolicyPath = "/.well-known/mta-sts.txt";
    private const string HostPrefix = "mta-sts.";

    public static void Map(WebApplication app, Database db, string mxHostName)
    {
        var domains = new DomainStore(db);
        app.MapGet(PolicyPath, async (HttpContext context, CancellationToken ct) =>
        {
            var host = context.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
            if (!host.StartsWith(HostPrefix, StringComparison.Ordinal) || host.Length == HostPrefix.Length)
                return NotFound("ask for the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (the Host header names the domain)");
            Domain? domain;
            try
            {
                domain = await domains.GetAsync(host[HostPrefix.Length..], ct);
            }
            catch (InvalidInputException)
            {
                domain = null;
            }
            if (domain is null) return NotFound("no MTA-STS policy here: the Host header does not name a domain of this server");
            context.Response.Headers.CacheControl = "max-age=3600";
            return Results.Text(DomainRecords.MtaStsPolicy(mxHostName), "text/plain; charset=utf-8");
        });
    }

    private static IResult NotFound(string why) => Results.Text(why + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
