using Estafeta.Net;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Session;

public sealed class Pop3ServerOptionsTests
{
    private static readonly Pop3ServerOptions Valid = new() { HostName = "pop.example.test" };

    [Fact]
    public void Defaults_follow_the_rfcs()
    {
        Valid.Validate();
        Assert.False(Valid.AllowPlaintextAuth);
        Assert.Equal(TimeSpan.FromMinutes(10), Valid.IdleTimeout);
        Assert.Equal(512, Valid.MaxCommandLineLength);
        Assert.Equal(10, Valid.MaxErrors);
    }

    public static TheoryData<Pop3ServerOptions, string> Invalid => new()
    {
        { Valid with { HostName = "" }, "HostName" },
        { Valid with { HostName = "pop example" }, "HostName" },
        { Valid with { MaxCommandLineLength = 100 }, "MaxCommandLineLength" },
        { Valid with { MaxCommandLineLength = 1_000_000 }, "MaxCommandLineLength" },
        { Valid with { MaxErrors = 0 }, "MaxErrors" },
        { Valid with { IdleTimeout = TimeSpan.FromMinutes(9) }, "IdleTimeout" },
        { Valid with { TlsHandshakeTimeout = TimeSpan.Zero }, "TlsHandshakeTimeout" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Settings_that_cannot_work_are_refused_at_start(Pop3ServerOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new Pop3Server(options, new FakeBackend(), new LoginThrottle(TimeProvider.System), new ListLogger<Pop3Server>()));
        Assert.Equal(setting, error.ParamName);
    }
}
