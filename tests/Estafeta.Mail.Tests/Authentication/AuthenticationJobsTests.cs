using Estafeta.Mail.Authentication;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class AuthenticationJobsTests
{
    [Theory]
    [InlineData("2026-11-05T00:10:00Z", "2026-11-05T00:15:00Z")]
    [InlineData("2026-11-05T00:15:00Z", "2026-11-06T00:15:00Z")]
    [InlineData("2026-11-05T18:00:00Z", "2026-11-06T00:15:00Z")]
    public void Reports_go_out_a_quarter_past_midnight_utc(string now, string expected)
    {
        var at = AuthenticationJobs.NextReportTime(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }
}
