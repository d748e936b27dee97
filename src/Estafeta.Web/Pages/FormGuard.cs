using System.Globalization;
using Estafeta.Marketing.Audience;

namespace Estafeta.Web.Pages;

/// <summary>
/// Bot protection of the subscription forms without third-party services: a honeypot field people never see or
/// fill, a signed timestamp of when the form was served (a person takes some seconds; a stale form is refused
/// too), and a limit of submissions per client address.
/// </summary>
public sealed class FormGuard(ConsentTokens tokens, TimeProvider time, FixedWindowLimiter limiter)
{
    /// <summary>The name of the honeypot input; any value in it marks a bot.</summary>
    public const string Honeypot = "website";

    public TimeSpan MinimumFillTime { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan MaximumAge { get; init; } = TimeSpan.FromDays(1);

    public int SubmissionsPerHour { get; init; } = 20;

    public string Stamp(long listId) => tokens.Create(TokenPurpose.Form, 0, listId, time.GetUtcNow() + MaximumAge);

    public bool StampIsFresh(string? stamp, long listId)
    {
        var parsed = tokens.Verify(stamp, TokenPurpose.Form);
        if (parsed is null || parsed.ListId != listId || parsed.Expires is not { } expires) return false;
        var served = expires - MaximumAge;
        return time.GetUtcNow() - served >= MinimumFillTime;
    }

    public bool Allow(string? clientAddress, long listId) =>
        limiter.TryAcquire(string.Create(CultureInfo.InvariantCulture, $"form:{ClientKey(clientAddress)}:{listId}"), SubmissionsPerHour, out _);

    /// <summary>The client a limit counts (<see cref="Estafeta.Net.ClientNetwork.Of"/>: an IPv6 one by its /64).</summary>
    public static string? ClientKey(string? clientAddress)
    {
        if (!System.Net.IPAddress.TryParse(clientAddress, out var address)) return clientAddress;
        var client = Estafeta.Net.ClientNetwork.Of(address);
        return client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? client + "/64" : client.ToString();
    }
}
