using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// The server's periodic mail-authentication work, on the given clock: every day shortly after midnight UTC
/// the DMARC aggregate reports of the day before go out; every hour the domains with a rotated DKIM key are
/// checked, so signing switches as soon as the new key is seen in DNS.
/// </summary>
public sealed class AuthenticationJobs : IAsyncDisposable
{
    public static readonly TimeSpan ReportDelayAfterMidnight = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan KeyCheckInterval = TimeSpan.FromHours(1);

    private readonly MailEngine _engine;
    private readonly ILogger _logger;
    private readonly AuthenticationLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reports;
    private readonly Task _keys;

    public AuthenticationJobs(MailEngine engine, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _log = new AuthenticationLog(logger);
        _reports = RunReportsAsync(_stop.Token);
        _keys = RunKeyChecksAsync(_stop.Token);
    }

    /// <summary>When the reports of a day are sent: the next day at <see cref="ReportDelayAfterMidnight"/>.</summary>
    public static DateTimeOffset NextReportTime(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + ReportDelayAfterMidnight;
        return now < today ? today : today.AddDays(1);
    }

    private async Task RunReportsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = _engine.Clock.GetUtcNow();
            var at = NextReportTime(now);
            if (!await DelayAsync(at - now, ct)) return;
            try
            {
                await new DmarcReportSender(_engine, _logger).SendAsync(DateOnly.FromDateTime(at.UtcDateTime.Date.AddDays(-1)), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.JobFailed(e, "dmarc-reports");
            }
        }
    }

    private async Task RunKeyChecksAsync(CancellationToken ct)
    {
        while (await DelayAsync(KeyCheckInterval, ct))
        {
            try
            {
                var domains = new DomainAuthentication(_engine.Database, _engine.Signing.Keys, _engine.Dns, _engine.Options.HostName, _engine.Clock);
                foreach (var domain in await _engine.Signing.Keys.DomainsWithPendingKeysAsync(ct))
                {
                    var result = await domains.CheckAsync(domain, ct);
                    foreach (var key in result.PendingKeysSeen) _log.KeyActivated(key.Domain, key.Selector);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.JobFailed(e, "dkim-publication");
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, _engine.Clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_reports, _keys);
        _stop.Dispose();
    }
}
