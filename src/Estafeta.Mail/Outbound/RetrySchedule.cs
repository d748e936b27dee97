namespace Estafeta.Mail.Outbound;

/// <summary>Exponential backoff with jitter: the n-th retry waits <c>min(first × 2^(n-1), max)</c>, spread by ±20 %
/// so that messages deferred together do not come back together.</summary>
public static class RetrySchedule
{
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max, Random? random = null)
    {
        var n = Math.Clamp(attempts, 1, 30);
        var ideal = Math.Min(first.TotalSeconds * Math.Pow(2, n - 1), max.TotalSeconds);
        var jitter = 0.8 + 0.4 * (random ?? Random.Shared).NextDouble();
        return TimeSpan.FromSeconds(Math.Max(1, ideal * jitter));
    }
}
