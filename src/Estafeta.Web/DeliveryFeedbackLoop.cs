using Estafeta.Marketing.Audience;
using Microsoft.Extensions.Logging;

namespace Estafeta.Web;

/// <summary>Every 30 seconds, applies the outbound MTA's new bounces and complaints to the suppression list (<see cref="DeliveryFeedback"/>).</summary>
public sealed partial class DeliveryFeedbackLoop
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public static void Start(AudienceService audience, ILogger<DeliveryFeedbackLoop> log, CancellationToken stopping)
    {
        var feedback = new DeliveryFeedback(audience.Database);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                do
                {
                    try
                    {
                        var applied = await feedback.ApplyAsync(stopping);
                        if (applied > 0) Applied(log, applied);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Suppression list: {Count} address(es) added after hard bounces and complaints")]
    private static partial void Applied(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying bounces and complaints to the suppression list failed")]
    private static partial void Failed(ILogger logger, Exception e);
}
