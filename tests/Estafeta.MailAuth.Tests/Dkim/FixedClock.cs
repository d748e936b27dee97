namespace Estafeta.MailAuth.Tests.Dkim;

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static FixedClock AtUnix(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => now;
}
