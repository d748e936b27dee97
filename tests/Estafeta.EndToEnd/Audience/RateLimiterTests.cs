using Estafeta.Testing;
using Estafeta.Web;
using Estafeta.Web.Pages;

namespace Estafeta.EndToEnd.Audience;

/// <summary>The in-memory rate limiter of the API keys and the public form: bounded, and counting an IPv6 client by its /64.</summary>
public sealed class RateLimiterTests
{
    [Fact]
    public void A_flood_of_new_keys_in_one_window_keeps_the_table_bounded_and_the_limits_working()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        var limiter = new FixedWindowLimiter(TimeSpan.FromHours(1), clock);

        for (var i = 0; i < FixedWindowLimiter.Capacity + 10; i++) limiter.TryAcquire($"form:2001:db8:{i}::/64:1", 5, out _);

        Assert.True(limiter.Count <= FixedWindowLimiter.Capacity);
        for (var i = 0; i < 5; i++) Assert.True(limiter.TryAcquire("form:192.0.2.7:1", 5, out _));
        Assert.False(limiter.TryAcquire("form:192.0.2.7:1", 5, out var retry));
        Assert.True(retry > TimeSpan.Zero && retry <= TimeSpan.FromHours(1));
    }

    [Fact]
    public void Keys_of_past_windows_are_dropped_first()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        var limiter = new FixedWindowLimiter(TimeSpan.FromMinutes(1), clock);
        for (var i = 0; i < FixedWindowLimiter.Capacity; i++) limiter.TryAcquire($"old{i}", 1, out _);
        clock.Advance(TimeSpan.FromMinutes(1));

        limiter.TryAcquire("new", 1, out _);

        Assert.Equal(1, limiter.Count);
        Assert.False(limiter.TryAcquire("new", 1, out _));
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("2001:db8:1:3::", "2001:db8:1:3::/64")]
    [InlineData("::ffff:198.51.100.4", "198.51.100.4")]
    [InlineData("198.51.100.4", "198.51.100.4")]
    [InlineData(null, null)]
    public void A_client_is_its_ipv4_address_or_its_ipv6_network(string? address, string? key) =>
        Assert.Equal(key, FormGuard.ClientKey(address));
}
