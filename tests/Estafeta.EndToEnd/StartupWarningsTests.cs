using Estafeta.Hosting;

namespace Estafeta.EndToEnd;

public sealed class StartupWarningsTests
{
    private static BootSettings Settings(params (string Name, string Value)[] values) =>
        BootSettings.Resolve(values.ToDictionary(v => v.Name, v => (string?)v.Value), _ => null);

    [Fact]
    public void The_development_defaults_on_loopback_say_nothing() => Assert.Empty(StartupWarnings.For(Settings(("data", "/tmp/x"))));

    [Fact]
    public void Listening_beyond_loopback_with_localhost_and_no_public_url_says_both_fixes()
    {
        var warnings = StartupWarnings.For(Settings(("data", "/tmp/x"), ("smtp", ":25"), ("http", "0.0.0.0:8080")));

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("--hostname is 'localhost', which other mail servers cannot use", warnings[0], StringComparison.Ordinal);
        Assert.Contains("no-reply@localhost", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("--public-url is not set: links in mail (confirmation, unsubscribe, preferences) are built from the --http address (0.0.0.0:8080)", warnings[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mx", true)]
    [InlineData("mx.localhost", true)]
    [InlineData("203.0.113.7", true)]
    [InlineData("mx.ejemplo.es", false)]
    [InlineData("mx.ejemplo.es.", false)]
    public void A_host_name_other_servers_cannot_use_is_named(string hostName, bool warned)
    {
        var warnings = StartupWarnings.For(Settings(("data", "/tmp/x"), ("smtp", ":25"), ("hostname", hostName), ("public-url", "https://correo.ejemplo.es")));

        Assert.Equal(warned, warnings.Count == 1);
    }

    [Fact]
    public void A_public_url_or_http_on_loopback_needs_no_public_url_warning()
    {
        Assert.Empty(StartupWarnings.For(Settings(("data", "/tmp/x"), ("smtp", ":25"), ("hostname", "mx.ejemplo.es"), ("http", "127.0.0.1:8080"))));
        Assert.Empty(StartupWarnings.For(Settings(("data", "/tmp/x"), ("http", ":8080"), ("hostname", "mx.ejemplo.es"), ("public-url", "https://correo.ejemplo.es"))));
    }
}
