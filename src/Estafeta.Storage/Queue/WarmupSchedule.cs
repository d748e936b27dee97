namespace Estafeta.Storage;

/// <summary>
/// An IP/domain warm-up for a sending domain: on the first day at most <paramref name="FirstDayCap"/> recipients are
/// delivered, and the cap grows geometrically each UTC day up to <paramref name="FinalCap"/> on day
/// <paramref name="Days"/>; after that there is no cap.
/// </summary>
public sealed record WarmupSchedule(string SendingDomain, DateTimeOffset StartedAt, int FirstDayCap, int Days, int FinalCap)
{
    /// <summary>The cap of the UTC day that contains <paramref name="now"/>, or null when warm-up is over.</summary>
    public long? CapOn(DateTimeOffset now)
    {
        var day = (int)(now.UtcDateTime.Date - StartedAt.UtcDateTime.Date).TotalDays;
        if (day >= Days)
        {
            return null;
        }

        if (day <= 0 || Days <= 1)
        {
            return FirstDayCap;
        }

        var growth = Math.Pow((double)Math.Max(FinalCap, FirstDayCap) / FirstDayCap, 1.0 / (Days - 1));
        return (long)Math.Round(FirstDayCap * Math.Pow(growth, day));
    }
}
