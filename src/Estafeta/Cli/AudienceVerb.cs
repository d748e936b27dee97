using System.CommandLine;
using Estafeta.Hosting;
using Estafeta.MailAuth.Dns;
using Estafeta.Marketing.Audience;

namespace Estafeta.Cli;

/// <summary>Runs an audience verb: the database (migrated) and the audience services over it, with the same DNS
/// resolver settings as <c>serve</c>. Segment expression errors are printed with a caret under the problem.</summary>
public static class AudienceVerb
{
    public static Task<int> RunAsync(ParseResult parse, Func<AudienceService, BootSettings, Task<int>> action, bool dns = false) =>
        StorageVerb.RunAsync(parse, async (db, settings) =>
        {
            try
            {
                IDnsResolver? resolver = dns ? new DnsClientResolver(settings.Dns is { } server ? new DnsClientResolverOptions { Servers = [server] } : null) : null;
                var audience = new AudienceService(db, resolver, () => settings.PublicUrl ?? new Uri($"http://{settings.Http?.ToString() ?? "localhost"}/"), settings.HostName, mail: null);
                return await action(audience, settings);
            }
            catch (SegmentSyntaxException e)
            {
                return Output.Fail("the segment expression has a mistake:\n" + e.Pointer);
            }
        });
}
