using System.Diagnostics;
using System.Net;
using Estafeta.MailAuth.Dns;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Dns;

/// <summary>The product resolver against a real DNS server on loopback, over UDP and TCP.</summary>
public sealed class DnsClientResolverTests
{
    [Fact]
    public async Task Txt_strings_of_one_record_are_joined_without_separators()
    {
        var zone = new DnsZone()
            .AddTxt("split.test", "v=spf1 ip4:192.0.2.1", " -all")
            .AddTxt("long.test", new string('a', 300) + new string('b', 300));
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver();

        var split = await resolver.TxtAsync("split.test");
        var longRecord = await resolver.TxtAsync("long.test");

        Assert.Equal(DnsStatus.Ok, split.Status);
        Assert.Equal(["v=spf1 ip4:192.0.2.1 -all"], split.Records);
        Assert.Equal(new string('a', 300) + new string('b', 300), Assert.Single(longRecord.Records));
    }

    [Fact]
    public async Task Each_txt_record_is_one_answer()
    {
        var zone = new DnsZone().AddTxt("many.test", "first").AddTxt("many.test", "second");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);

        var answer = await dns.CreateResolver().TxtAsync("many.test");

        Assert.Equal(["first", "second"], answer.Records.Order());
    }

    [Fact]
    public async Task Answers_are_served_from_the_cache_until_their_ttl_expires()
    {
        var clock = new ManualTimeProvider();
        var zone = new DnsZone().AddA("host.test", IPAddress.Parse("192.0.2.10"), TimeSpan.FromSeconds(60));
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver(clock);

        var first = await resolver.AAsync("host.test");
        await resolver.AAsync("HOST.test.");
        clock.Advance(TimeSpan.FromSeconds(59));
        await resolver.AAsync("host.test");
        Assert.Equal(1, dns.QueryCount);

        clock.Advance(TimeSpan.FromSeconds(2));
        var refreshed = await resolver.AAsync("host.test");

        Assert.Equal(2, dns.QueryCount);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(first.Records));
        Assert.Equal(first.Records, refreshed.Records);
    }

    [Fact]
    public async Task Nxdomain_is_a_name_error_and_nodata_an_empty_answer()
    {
        var zone = new DnsZone().AddA("exists.test", "192.0.2.1").AddA("deep.parent.test", "192.0.2.2");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver();

        var missing = await resolver.AAsync("missing.test");
        var noAaaa = await resolver.AaaaAsync("exists.test");
        var emptyNonTerminal = await resolver.AAsync("parent.test");

        Assert.Equal(DnsStatus.NameError, missing.Status);
        Assert.Equal(DnsStatus.Ok, noAaaa.Status);
        Assert.Empty(noAaaa.Records);
        Assert.True(noAaaa.IsVoid);
        Assert.Equal(DnsStatus.Ok, emptyNonTerminal.Status);
        Assert.Empty(emptyNonTerminal.Records);
    }

    [Fact]
    public async Task Negative_answers_are_cached_for_the_soa_minimum()
    {
        var clock = new ManualTimeProvider();
        var zone = new DnsZone { NegativeTtl = TimeSpan.FromSeconds(30) };
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver(clock);

        await resolver.TxtAsync("nothing.test");
        clock.Advance(TimeSpan.FromSeconds(29));
        var cached = await resolver.TxtAsync("nothing.test");
        Assert.Equal(1, dns.QueryCount);

        zone.AddTxt("nothing.test", "now something");
        clock.Advance(TimeSpan.FromSeconds(2));
        var fresh = await resolver.TxtAsync("nothing.test");

        Assert.Equal(DnsStatus.NameError, cached.Status);
        Assert.Equal(["now something"], fresh.Records);
        Assert.Equal(2, dns.QueryCount);
    }

    [Fact]
    public async Task Server_failure_is_a_temporary_failure_and_is_not_cached()
    {
        var zone = new DnsZone().AddTxt("broken.test", "unreachable").FailWithServerFailure("broken.test");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver();

        var first = await resolver.TxtAsync("broken.test");
        var second = await resolver.TxtAsync("broken.test");

        Assert.Equal(DnsStatus.TemporaryFailure, first.Status);
        Assert.Equal(DnsStatus.TemporaryFailure, second.Status);
        Assert.Equal(2, dns.QueryCount);
    }

    [Fact]
    public async Task Unanswered_question_times_out_as_a_temporary_failure()
    {
        var zone = new DnsZone().AddA("slow.test", "192.0.2.1").TimeOut("slow.test");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver(timeout: TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var answer = await resolver.AAsync("slow.test");

        Assert.Equal(DnsStatus.TemporaryFailure, answer.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True(dns.QueryCount >= 1);
    }

    [Fact]
    public async Task Truncated_udp_answer_is_asked_again_over_tcp()
    {
        var zone = new DnsZone();
        for (var i = 0; i < 24; i++)
        {
            zone.AddTxt("big.test", $"{i:D2}" + new string('x', 240));
        }

        await using var dns = await LoopbackDnsServer.StartAsync(zone);

        var answer = await dns.CreateResolver().TxtAsync("big.test");

        Assert.Equal(24, answer.Records.Count);
        Assert.Contains(dns.Queries, q => q.Transport == DnsTransport.Udp && q.Name == "big.test");
        Assert.Contains(dns.Queries, q => q.Transport == DnsTransport.Tcp && q.Name == "big.test");
    }

    [Fact]
    public async Task Mx_answers_come_in_preference_order_without_trailing_dots()
    {
        var zone = new DnsZone()
            .AddMx("example.test", 20, "backup.example.test.")
            .AddMx("example.test", 10, "mx.example.test")
            .AddMx("null.test", 0, ".");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver();

        var mx = await resolver.MxAsync("example.test");
        var nullMx = await resolver.MxAsync("null.test");

        Assert.Equal([new MxRecord(10, "mx.example.test"), new MxRecord(20, "backup.example.test")], mx.Records);
        Assert.Equal([new MxRecord(0, string.Empty)], nullMx.Records);
    }

    [Fact]
    public async Task Ptr_and_aaaa_answers_are_read_for_both_address_families()
    {
        var v4 = IPAddress.Parse("192.0.2.25");
        var v6 = IPAddress.Parse("2001:db8::25");
        var zone = new DnsZone()
            .AddPtr(v4, "mail.example.test.")
            .AddPtr(v6, "mail6.example.test")
            .AddAaaa("mail6.example.test", "2001:db8::25");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver();

        Assert.Equal(["mail.example.test"], (await resolver.PtrAsync(v4)).Records);
        Assert.Equal(["mail6.example.test"], (await resolver.PtrAsync(v6)).Records);
        Assert.Equal([v6], (await resolver.AaaaAsync("mail6.example.test")).Records);
    }

    [Fact]
    public async Task Cname_chains_are_followed_to_the_records()
    {
        var zone = new DnsZone()
            .AddCname("alias.test", "middle.test")
            .AddCname("middle.test", "target.test")
            .AddTxt("target.test", "v=spf1 -all");
        await using var dns = await LoopbackDnsServer.StartAsync(zone);

        var answer = await dns.CreateResolver().TxtAsync("alias.test");

        Assert.Equal(["v=spf1 -all"], answer.Records);
    }

    [Fact]
    public async Task Cache_holds_no_more_answers_than_its_capacity()
    {
        var zone = new DnsZone();
        await using var dns = await LoopbackDnsServer.StartAsync(zone);
        var resolver = dns.CreateResolver(cacheCapacity: 4);

        for (var i = 0; i < 12; i++)
        {
            await resolver.AAsync($"name{i}.test");
        }

        Assert.InRange(resolver.CachedAnswers, 1, 4);
    }

    [Fact]
    public async Task Names_that_cannot_be_sent_are_name_errors_without_a_query()
    {
        await using var dns = await LoopbackDnsServer.StartAsync(new DnsZone());
        var resolver = dns.CreateResolver();

        var tooLongLabel = await resolver.TxtAsync(new string('a', 64) + ".test");
        var emptyLabel = await resolver.TxtAsync("a..test");

        Assert.Equal(DnsStatus.NameError, tooLongLabel.Status);
        Assert.Equal(DnsStatus.NameError, emptyLabel.Status);
        Assert.Equal(0, dns.QueryCount);
    }

    [Fact]
    public void Options_name_a_server_as_host_and_port()
    {
        var resolver = new DnsClientResolver(DnsClientResolverOptions.ForServer("127.0.0.1:5353"));

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 5353)], resolver.Servers);
    }
}
