using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// Answers the SMTP MX's question "whose is this address?" and submission's "may this account send as
/// this address?". Resolution order: an account with exactly that address; else the alias's targets
/// (each resolved the same way: accounts, further aliases, remote addresses); else the domain's catch-all.
/// Chains are followed up to <see cref="MaxAliasDepth"/> levels; an address met again on its own path is a loop.
/// </summary>
public sealed class RecipientDirectory(Database db)
{
    public const int MaxAliasDepth = 10;

    /// <summary>The local part of every local domain's DMARC aggregate report address (dmarc-reports@DOMAIN),
    /// which the records of <c>estafeta domain records</c> name as rua=. Resolved before accounts and aliases.</summary>
    public const string DmarcReportLocalPart = "dmarc-reports";

    /// <summary>True for dmarc-reports@ any domain (canonical form); the caller knows the domain is local.</summary>
    public static bool IsDmarcReportAddress(string canonicalAddress) =>
        canonicalAddress.StartsWith(DmarcReportLocalPart + "@", StringComparison.Ordinal);

    /// <summary>The local part of every local domain's TLS report address (tls-reports@DOMAIN), which the TLS-RPT record
    /// of <c>estafeta domain records</c> names as rua=. Resolved before accounts and aliases.</summary>
    public const string TlsReportLocalPart = "tls-reports";

    /// <summary>True for tls-reports@ any domain (canonical form); the caller knows the domain is local.</summary>
    public static bool IsTlsReportAddress(string canonicalAddress) =>
        canonicalAddress.StartsWith(TlsReportLocalPart + "@", StringComparison.Ordinal);

    /// <summary>Resolves <paramref name="address"/>; throws <see cref="InvalidInputException"/> when it is malformed.</summary>
    public async Task<RecipientResolution> ResolveAsync(string address, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(address);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var walk = new Walk(connection, useCatchAll: true, ct);
        if (!await walk.IsLocalDomainAsync(MailAddressCanonical.DomainOf(canonical)).ConfigureAwait(false))
        {
            return new RecipientResolution(RecipientResolutionKind.NotLocalDomain, canonical, [], [], null);
        }

        if (IsDmarcReportAddress(canonical))
        {
            return new RecipientResolution(RecipientResolutionKind.DmarcReports, canonical, [], [], null);
        }

        if (IsTlsReportAddress(canonical))
        {
            return new RecipientResolution(RecipientResolutionKind.TlsReports, canonical, [], [], null);
        }

        await walk.VisitAsync(canonical, [], 0).ConfigureAwait(false);
        if (walk.Accounts.Count > 0 || walk.Remotes.Count > 0)
        {
            return new RecipientResolution(RecipientResolutionKind.Local, canonical, [.. walk.Accounts], [.. walk.Remotes], walk.Problem);
        }

        return walk.Problem is null
            ? new RecipientResolution(RecipientResolutionKind.UnknownUser, canonical, [], [], null)
            : new RecipientResolution(RecipientResolutionKind.AliasLoop, canonical, [], [], walk.Problem);
    }

    /// <summary>
    /// True when <paramref name="address"/> is the account's own address or an alias that resolves to it
    /// (catch-alls do not count: receiving a domain's stray mail does not make its addresses yours).
    /// </summary>
    public async Task<bool> AccountOwnsAddressAsync(long accountId, string address, CancellationToken ct = default)
    {
        if (!MailAddressCanonical.TryAddress(address, out var canonical))
        {
            return false;
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var walk = new Walk(connection, useCatchAll: false, ct);
        await walk.VisitAsync(canonical, [], 0).ConfigureAwait(false);
        return walk.Accounts.Contains(accountId);
    }

    private sealed class Walk(DbConnection connection, bool useCatchAll, CancellationToken ct)
    {
        private readonly Dictionary<string, (bool Local, string? CatchAll)> domains = new(StringComparer.Ordinal);
        private readonly HashSet<string> done = new(StringComparer.Ordinal);

        public List<long> Accounts { get; } = [];

        public List<string> Remotes { get; } = [];

        public string? Problem { get; private set; }

        public async Task<bool> IsLocalDomainAsync(string domain) => (await DomainAsync(domain).ConfigureAwait(false)).Local;

        public async Task VisitAsync(string address, List<string> path, int depth)
        {
            if (path.Contains(address, StringComparer.Ordinal))
            {
                Problem ??= $"alias loop: {string.Join(" -> ", path.Append(address))}";
                return;
            }

            if (depth > MaxAliasDepth)
            {
                Problem ??= $"alias chain deeper than {MaxAliasDepth} levels: {string.Join(" -> ", path.Append(address))}";
                return;
            }

            if (!done.Add(address))
            {
                return;
            }

            var domain = await DomainAsync(MailAddressCanonical.DomainOf(address)).ConfigureAwait(false);
            if (!domain.Local)
            {
                Remotes.Add(address);
                return;
            }

            var accountId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM accounts WHERE address = @address", new { address }, cancellationToken: ct)).ConfigureAwait(false);
            if (accountId is { } id)
            {
                if (!Accounts.Contains(id))
                {
                    Accounts.Add(id);
                }

                return;
            }

            var targets = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT target FROM aliases WHERE address = @address ORDER BY target", new { address }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
            List<string> nextPath = [.. path, address];
            if (targets.Count > 0)
            {
                foreach (var target in targets)
                {
                    await VisitAsync(target, nextPath, depth + 1).ConfigureAwait(false);
                }

                return;
            }

            if (useCatchAll && domain.CatchAll is { } catchAll && catchAll != address)
            {
                await VisitAsync(catchAll, nextPath, depth + 1).ConfigureAwait(false);
            }
        }

        private async Task<(bool Local, string? CatchAll)> DomainAsync(string name)
        {
            if (domains.TryGetValue(name, out var known))
            {
                return known;
            }

            var row = await connection.QuerySingleOrDefaultAsync<Rows.DomainRow>(new CommandDefinition(
                "SELECT id AS Id, name AS Name, catch_all AS CatchAll, created_at AS CreatedAt FROM domains WHERE name = @name",
                new { name }, cancellationToken: ct)).ConfigureAwait(false);
            var result = row is null ? (false, null) : (true, row.CatchAll);
            domains[name] = result;
            return result;
        }
    }
}
