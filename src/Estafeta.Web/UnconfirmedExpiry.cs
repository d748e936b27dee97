using Estafeta.Marketing.Audience;
using Microsoft.Extensions.Logging;

namespace Estafeta.Web;

/// <summary>Once an hour, removes unconfirmed subscriptions whose confirmation link has expired (and contacts that never consented).</summary>
public sealed partial class UnconfirmedExpiry
{
    public static void Start(AudienceService audience, ILogger<UnconfirmedExpiry> log, CancellationToken stopping)
    {
        if (audience.Flows is not { } flows) return;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
            try
            {
                do
                {
                    try
                    {
                        var expired = await flows.ExpireUnconfirmedAsync(stopping);
                        if (expired > 0) Expired(log, expired);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Failed(log, e);
                    }
                }
                while (await timer.WaitForNextTickAsync(stopping));
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} unconfirmed subscriptions")]
    private static partial void Expired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring unconfirmed subscriptions failed")]
    private static partial void Failed(ILogger logger, Exception e);
}
