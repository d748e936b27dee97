namespace Estafeta.Smtp.Tests.Grammar;

public sealed class SmtpServerOptionsTests
{
    private static SmtpServerOptions Defaults => new() { HostName = "mx.example.test" };

    [Fact]
    public void Defaults_follow_the_rfcs()
    {
        var o = Defaults;
        Assert.Equal(SmtpMode.Mx, o.Mode);
        Assert.Equal(2048, o.MaxCommandLineLength);
        Assert.Equal(36_700_160, o.MaxMessageSize);
        Assert.Equal(100, o.MaxRecipients);
        Assert.Equal(1000, o.MaxCommands);
        Assert.Equal(10, o.MaxErrors);
        Assert.Equal(TimeSpan.FromMinutes(5), o.CommandTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), o.DataTimeout);
        Assert.False(o.AllowPlaintextAuth);
        Assert.Null(o.Certificate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("bücher.test")]
    public void Bad_host_names_are_refused_with_a_clear_message(string host)
    {
        var e = Assert.Throws<ArgumentException>(() => new SmtpServerOptions { HostName = host });
        Assert.Contains("HostName", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_limits_name_the_setting()
    {
        Assert.Contains("MaxCommandLineLength", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { MaxCommandLineLength = 511 }).Message, StringComparison.Ordinal);
        Assert.Contains("MaxMessageSize", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { MaxMessageSize = 0 }).Message, StringComparison.Ordinal);
        Assert.Contains("MaxRecipients", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { MaxRecipients = 0 }).Message, StringComparison.Ordinal);
        Assert.Contains("MaxCommands", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { MaxCommands = 0 }).Message, StringComparison.Ordinal);
        Assert.Contains("MaxErrors", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { MaxErrors = -1 }).Message, StringComparison.Ordinal);
        Assert.Contains("CommandTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { CommandTimeout = TimeSpan.Zero }).Message, StringComparison.Ordinal);
        Assert.Contains("DataTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { DataTimeout = TimeSpan.FromDays(2) }).Message, StringComparison.Ordinal);
        Assert.Contains("TlsHandshakeTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => Defaults with { TlsHandshakeTimeout = TimeSpan.FromSeconds(-1) }).Message, StringComparison.Ordinal);
    }
}
