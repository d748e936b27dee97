using System.Text;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound.Tests;

public sealed class UnitTests
{
    [Fact]
    public void Verp_token_round_trips_and_a_changed_one_is_refused()
    {
        var verp = new Verp(new byte[32]);
        var token = new VerpToken(12345, DateTimeOffset.FromUnixTimeMilliseconds(1_740_000_000_123), 987654);
        var address = verp.ReturnPath("Origen.TEST", token);
        Assert.Matches("^bounce\\+[0-9a-z-]+@origen\\.test$", address);
        Assert.True(address.IndexOf('@') <= 64);
        Assert.True(verp.TryRead(address.ToUpperInvariant(), out var read));
        Assert.Equal(token, read);
        Assert.False(verp.TryRead(address.Replace("bounce+", "bounce+0", StringComparison.Ordinal), out _));
        Assert.False(new Verp(Enumerable.Repeat((byte)1, 32).ToArray()).TryRead(address, out _));
    }

    [Fact]
    public void Verp_key_file_is_private_and_kept()
    {
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-verp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var a = Verp.LoadOrCreate(dir);
            var path = Path.Combine(dir, Verp.KeyFileName);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var token = new VerpToken(1, DateTimeOffset.UnixEpoch, 2);
            Assert.True(Verp.LoadOrCreate(dir).TryRead(a.ReturnPath("x.test", token), out _));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Retry_delays_grow_exponentially_with_jitter_up_to_the_maximum()
    {
        var random = new Random(1);
        for (var n = 1; n <= 12; n++)
        {
            var ideal = Math.Min(300 * Math.Pow(2, n - 1), 7200);
            var d = RetrySchedule.Delay(n, TimeSpan.FromMinutes(5), TimeSpan.FromHours(2), random).TotalSeconds;
            Assert.InRange(d, ideal * 0.8, ideal * 1.2);
        }
    }

    [Fact]
    public void Mta_sts_policy_is_parsed_and_matches_one_label_wildcards()
    {
        var policy = MtaStsPolicy.Parse("1", "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n")!;
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(TimeSpan.FromDays(7), policy.MaxAge);
        Assert.True(policy.Allows("mail.example.com"));
        Assert.True(policy.Allows("mx1.example.net."));
        Assert.False(policy.Allows("a.b.example.net"));
        Assert.False(policy.Allows("example.net"));
        Assert.Null(MtaStsPolicy.Parse("1", "version: STSv1\nmode: enforce\nmax_age: 1\n"));
        Assert.Null(MtaStsPolicy.Parse("1", "version: STSv2\nmode: testing\nmx: a\nmax_age: 1\n"));
    }

    [Theory]
    [InlineData("Return-Path: <a@b.test>\r\nReceived: x\r\n\r\nbody", "Received: x")]
    [InlineData("return-path:\r\n <a@b.test>\r\nFrom: x\r\n\r\n", "From: x")]
    [InlineData("Received: x\r\nReturn-Path: <a@b.test>\r\n\r\n", "Received: x")]
    public void Only_a_leading_return_path_field_is_dropped(string stored, string startsWith)
    {
        var bytes = Encoding.ASCII.GetBytes(stored);
        Assert.StartsWith(startsWith, Encoding.ASCII.GetString(bytes, QueuedContent.SkipReturnPath(bytes), bytes.Length - QueuedContent.SkipReturnPath(bytes)));
    }

    [Fact]
    public void Enhanced_status_is_read_from_the_reply_text()
    {
        Assert.Equal(new SmtpAnswer(550, "5.1.1", "user unknown"), SmtpAnswer.From(550, "5.1.1 user unknown"));
        Assert.Equal(new SmtpAnswer(421, "4.4.2", "bye"), SmtpAnswer.From(421, "bye"));
        Assert.Equal("550 5.7.1 no", SmtpAnswer.From(550, "5.7.1 no").ToString());
        Assert.Equal("5.7.26", EnhancedStatus.Find("Remote said: 550-5.7.26 unauthenticated"));
    }

    [Fact]
    public void Limits_match_domains_wildcards_and_mx_patterns()
    {
        var table = new LimitTable([new DestinationLimit("gmail.com", 3), new DestinationLimit("*.example.com", 2), new DestinationLimit("mx:*.google.com", 5)]);
        Assert.Equal(3, table.Find("gmail.com", null)!.MaxConnections);
        Assert.Equal(2, table.Find("mail.example.com", null)!.MaxConnections);
        Assert.Equal(5, table.Find("empresa.test", "aspmx.l.google.com")!.MaxConnections);
        Assert.Null(table.Find("otro.test", "mx.otro.test"));
    }

    [Fact]
    public void Warm_up_cap_grows_each_day_and_ends()
    {
        var start = new DateTimeOffset(2025, 1, 1, 15, 0, 0, TimeSpan.Zero);
        var w = new WarmupSchedule("x.test", start, 100, 5, 10_000);
        Assert.Equal(100, w.CapOn(start));
        Assert.Equal(10_000, w.CapOn(start.AddDays(4)));
        Assert.True(w.CapOn(start.AddDays(2)) is > 100 and < 10_000);
        Assert.Null(w.CapOn(start.AddDays(5)));
    }
}
