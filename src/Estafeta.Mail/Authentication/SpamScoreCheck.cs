using Estafeta.Mail.Inbound;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Authentication;

/// <summary>The header and content rules of the spam score (the authentication rules are scored by
/// <see cref="AuthenticationCheck"/>); the total and every reason end up in X-Estafeta-Spam.</summary>
public sealed class SpamScoreCheck(Database db, TimeProvider clock) : IInboundCheck
{
    private static readonly TimeSpan DomainsLifetime = TimeSpan.FromSeconds(30);
    private readonly DomainStore _domains = new(db);
    private LocalDomains? _localDomains;

    public async ValueTask<InboundVerdict> CheckAsync(InboundMessage message, CancellationToken ct)
    {
        var reasons = SpamRules.Header(message.Headers, await LocalDomainsAsync(ct));
        await using (var content = message.OpenContent())
        {
            var parsed = await MimeMessage.LoadAsync(content, ct);
            reasons.AddRange(SpamRules.Content(parsed.Subject, SpamRules.Text(parsed)));
        }
        return new InboundVerdict([], reasons.Sum(r => r.Points), [.. reasons.Select(r => r.ToString())]);
    }

    private async Task<IReadOnlyCollection<string>> LocalDomainsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _localDomains) is { } cached && now - cached.Loaded < DomainsLifetime) return cached.Names;
        var names = (await _domains.ListAsync(ct)).Select(d => d.Name).ToArray();
        Volatile.Write(ref _localDomains, new LocalDomains(now, names));
        return names;
    }

    private sealed record LocalDomains(DateTimeOffset Loaded, IReadOnlyCollection<string> Names);
}
