using System.Net;

namespace Estafeta.Net.Tests;

public sealed class LoginThrottleTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Addresses_of_one_ipv6_64_count_as_one_client()
    {
        var throttle = new LoginThrottle(new Clock(DateTimeOffset.UnixEpoch), maxFailures: 3);

        for (var i = 1; i <= 3; i++) throttle.RecordFailure(IPAddress.Parse($"2001:db8:7:1::{i:x}"));

        Assert.True(throttle.IsBlocked(IPAddress.Parse("2001:db8:7:1:ffff::1")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("2001:db8:7:2::1")));
        throttle.RecordFailure(IPAddress.Parse("::ffff:192.0.2.1"));
        throttle.RecordFailure(IPAddress.Parse("192.0.2.1"));
        throttle.RecordFailure(IPAddress.Parse("192.0.2.1"));
        Assert.True(throttle.IsBlocked(IPAddress.Parse("192.0.2.1")));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("192.0.2.2")));
    }

    [Fact]
    public void A_flood_of_failures_from_new_networks_keeps_the_table_bounded()
    {
        var clock = new Clock(DateTimeOffset.UnixEpoch);
        var throttle = new LoginThrottle(clock, maxFailures: 3);

        for (var i = 0; i < LoginThrottle.Capacity + 10; i++)
            throttle.RecordFailure(new IPAddress([0x20, 0x01, 0x0d, 0xb8, (byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i, 0, 0, 0, 0, 0, 0, 0, 1]));

        Assert.True(throttle.Count <= LoginThrottle.Capacity);
        for (var i = 0; i < 3; i++) throttle.RecordFailure(IPAddress.Parse("198.51.100.9"));
        Assert.True(throttle.IsBlocked(IPAddress.Parse("198.51.100.9")));
    }
}
