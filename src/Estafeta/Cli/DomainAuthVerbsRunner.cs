using System.CommandLine;
using Estafeta.Hosting;
using Estafeta.Mail.Authentication;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary>The options of the verbs that query DNS: --dns (the server to ask, like serve's) and --hostname
/// (this server's public name, which the records name). Both also come from ESTAFETA_DNS / ESTAFETA_HOSTNAME
/// and the config file.</summary>
public sealed class DnsVerbOptions
{
    public Option<string?> Dns { get; } = new("--dns") { Description = "DNS server for the lookups, host:port (env ESTAFETA_DNS; default: the system's resolvers)" };
    public Option<string?> HostName { get; } = new("--hostname") { Description = "This server's public name, as serve uses it (env ESTAFETA_HOSTNAME; default localhost)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts" };

    public void AddTo(Command command)
    {
        command.Options.Add(Dns);
        command.Options.Add(HostName);
        command.Options.Add(Json);
    }

    public BootSettings Settings(ParseResult parse) =>
        BootSettings.Resolve(GlobalOptions.CommandLineValues(parse, [("dns", Dns), ("hostname", HostName)]));

    public static DnsClientResolver Resolver(BootSettings settings) =>
        new(settings.Dns is { } server ? new DnsClientResolverOptions { Servers = [server] } : null);
}

/// <summary>What a domain-authentication verb works with.</summary>
public sealed record DomainAuthContext(Database Database, BootSettings Settings, IDnsResolver Dns, DomainAuthentication Domains, bool Json);

/// <summary>Runs a verb on a local domain's mail authentication: resolves the settings, opens (and migrates)
/// the database, checks the domain is local, and turns the errors people can fix into one line.</summary>
public static class DomainAuthVerbsRunner
{
    public static async Task<int> RunAsync(ParseResult parse, DnsVerbOptions options, Argument<string> domainArgument, Func<DomainAuthContext, string, Task<int>> action)
    {
        try
        {
            var settings = options.Settings(parse);
            await using var db = Database.Create(settings.DataDirectory, settings.Database);
            await db.MigrateAsync();
            var name = parse.GetValue(domainArgument)!;
            var domain = await new DomainStore(db).GetAsync(name)
                ?? throw new NotFoundException($"{name} is not a domain of this server; add it first: estafeta domain add {name}");
            var dns = DnsVerbOptions.Resolver(settings);
            var keys = new DkimKeyStore(db, TimeProvider.System);
            var domains = new DomainAuthentication(db, keys, dns, settings.HostName, TimeProvider.System);
            return await action(new DomainAuthContext(db, settings, dns, domains, parse.GetValue(options.Json)), domain.Name);
        }
        catch (BootSettingsException e) { return Output.Fail(e.Message); }
        catch (StorageException e) { return Output.Fail(e.Message); }
    }
}
