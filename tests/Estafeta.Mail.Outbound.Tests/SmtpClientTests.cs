using System.Buffers;
using System.Text;
using Estafeta.Mail.Outbound.Tests.Support;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound.Tests;

/// <summary>The MTA's own SMTP client (<see cref="SmtpDelivery"/>) against scripted servers: what goes on the wire.</summary>
public sealed class SmtpClientTests
{
    [Fact]
    public async Task Dsn_parameters_go_to_a_server_that_offers_dsn_with_the_orcpt_given_at_submission()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Sinks[0].AdvertiseDsn = true;
        h.Domain("destino.test");
        await h.QueueAsync("dsn", "ana@origen.test",
            [new OutboundRecipient("bea@destino.test", "SUCCESS,FAILURE", "rfc822;Bea+Old@antes.test"), new OutboundRecipient("cal@destino.test", "NEVER")],
            ret: "HDRS", envId: "envío 1");

        await h.RunAsync();

        Assert.Single(h.Sinks[0].Mail);
        var commands = h.Sinks[0].Commands.ToList();
        var mail = Assert.Single(commands, c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal));
        Assert.Matches(@"^MAIL FROM:<ana@origen\.test> SIZE=\d+ RET=HDRS ENVID=env\+C3\+ADo\+201$", mail);
        Assert.Contains("RCPT TO:<bea@destino.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bea+2BOld@antes.test", commands);
        // No ORCPT was given for this one, so none is made up.
        Assert.Contains("RCPT TO:<cal@destino.test> NOTIFY=NEVER", commands);
    }

    [Fact]
    public async Task Without_dsn_offered_no_dsn_parameter_is_sent()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        await h.QueueAsync("plain", "ana@origen.test", [new OutboundRecipient("bea@destino.test", "SUCCESS", "rfc822;bea@destino.test")], ret: "FULL", envId: "e1");

        await h.RunAsync();

        Assert.Single(h.Sinks[0].Mail);
        Assert.DoesNotContain(h.Sinks[0].Commands, c => c.Contains("NOTIFY=", StringComparison.Ordinal) || c.Contains("RET=", StringComparison.Ordinal)
            || c.Contains("ORCPT=", StringComparison.Ordinal) || c.Contains("ENVID=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lines_starting_with_a_dot_arrive_unchanged_and_the_bytes_are_the_stored_ones()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        var body = ".hidden\r\n..two dots\r\n.\r\nlast line ñ";
        var stored = MtaHarness.Message("dots", body: body);
        var blob = await h.Engine.Blobs.WriteAsync(stored);
        await h.Engine.Writer.CommitAsync(new Delivery(blob, [], h.Clock.GetUtcNow(), new MessageEnvelope(null, "dots", null, null, null, null, null, null, null, null),
            Outbound: new OutboundMessage("ana@origen.test", [new OutboundRecipient("bea@destino.test")])));

        await h.RunAsync();

        var mail = Assert.Single(h.Sinks[0].Mail);
        var withoutReturnPath = stored.AsSpan(QueuedContent.SkipReturnPath(stored)).ToArray();
        Assert.Equal(withoutReturnPath, mail.Data);
        Assert.Contains(h.Sinks[0].Commands, c => c.Contains("BODY=8BITMIME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Smart_host_route_logs_in_and_a_refused_login_defers()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Sinks[1].Login = ("relay", "s3cret");
        await h.Settings.SetRouteAsync(new OutboundRoute("uno.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, AuthUser: "relay", AuthPassword: "s3cret"));
        await h.Settings.SetRouteAsync(new OutboundRoute("dos.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, AuthUser: "intruso", AuthPassword: "wrong"));
        await h.QueueAsync("a", "ana@origen.test", "x@uno.test");
        var refused = await h.QueueAsync("b", "ana@origen.test", "y@dos.test");

        await h.RunAsync();

        var mail = Assert.Single(h.Sinks[1].Mail);
        Assert.Equal(["x@uno.test"], mail.To);
        Assert.Equal(["relay"], h.Sinks[1].LoggedIn);
        var entry = (await h.Queue.GetAsync(refused))!;
        Assert.Equal(OutboundState.Queued, entry.Recipients[0].State);
        Assert.Equal("4.7.8", entry.Recipients[0].Status);
    }

    [Fact]
    public async Task Routes_to_one_host_as_one_user_with_different_passwords_each_log_in_with_their_own()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Sinks[1].Login = ("relay", "s3cret");
        await h.Settings.SetRouteAsync(new OutboundRoute("uno.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, AuthUser: "relay", AuthPassword: "s3cret"));
        await h.Settings.SetRouteAsync(new OutboundRoute("dos.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, AuthUser: "relay", AuthPassword: "caducada"));
        await h.Settings.SetRouteAsync(new OutboundRoute("tres.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, AuthUser: "relay", AuthPassword: "s3cret"));
        // One message to all three: were the routes one destination, the old password's domain would go out over the
        // connection logged in with the right one.
        var id = await h.QueueAsync("a", "ana@origen.test", "x@uno.test", "y@dos.test", "z@tres.test");

        await h.RunAsync();

        var mail = Assert.Single(h.Sinks[1].Mail);
        Assert.Equal(["x@uno.test", "z@tres.test"], mail.To.Order(StringComparer.Ordinal));
        var entry = (await h.Queue.GetAsync(id))!;
        var refused = Assert.Single(entry.Recipients, r => r.State != OutboundState.Delivered);
        Assert.Equal("y@dos.test", refused.Address);
        Assert.Equal("4.7.8", refused.Status);
    }

    [Fact]
    public async Task Destinations_idle_for_an_hour_are_dropped_and_made_again_when_mail_comes()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Domain("otro.test");
        await h.QueueAsync("a", "ana@origen.test", "x@destino.test", "y@otro.test");
        await h.RunAsync();
        Assert.Equal(2, h.Runner.DestinationCount);

        h.Advance(TimeSpan.FromMinutes(30));
        await h.QueueAsync("b", "ana@origen.test", "z@otro.test");
        await h.RunAsync();
        h.Advance(TimeSpan.FromMinutes(40));
        // destino.test has been idle for 70 minutes, otro.test for 40.
        Assert.Equal(1, h.Runner.DropIdleDestinations(h.Clock.GetUtcNow()));
        Assert.Equal(1, h.Runner.DestinationCount);

        await h.QueueAsync("c", "ana@origen.test", "w@destino.test");
        await h.RunAsync();
        Assert.Equal(2, h.Runner.DestinationCount);
        Assert.Equal(4, h.Sinks[0].Mail.Sum(m => m.To.Count));
    }

    [Fact]
    public void A_route_key_names_no_password_and_separates_only_routes_that_log_in_differently()
    {
        var routes = new RoutingTable([
            new OutboundRoute("b.test", "Relay.Example", 587, AuthUser: "u", AuthPassword: "p2"),
            new OutboundRoute("a.test", "relay.example", 587, AuthUser: "u", AuthPassword: "p1"),
            new OutboundRoute("c.test", "relay.example", 587, AuthUser: "u", AuthPassword: "p1"),
            new OutboundRoute("d.test", "relay.example", 587, TlsRequired: true, AuthUser: "u", AuthPassword: "p2"),
            new OutboundRoute("e.test", "relay.example", 25),
        ]);

        string Key(string domain) => routes.KeyOf(routes.Find(domain)!);
        Assert.Equal("route:relay.example:587:may:u", Key("a.test"));
        Assert.Equal("route:relay.example:587:may:u#2", Key("b.test"));
        Assert.Equal(Key("a.test"), Key("c.test"));
        Assert.Equal("route:relay.example:587:tls:u", Key("d.test"));
        Assert.Equal("route:relay.example:25:may:", Key("e.test"));
    }

    [Fact]
    public async Task A_server_without_pipelining_gets_each_recipients_answer_one_command_at_a_time()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Sinks[0].Pipelining = false;
        h.Sinks[0].RcptReply = to => to.StartsWith("nadie", StringComparison.Ordinal) ? "550 5.1.1 No such user" : "250 2.1.5 Ok";
        h.Domain("destino.test");
        await h.Settings.SetLimitAsync(new DestinationLimit("destino.test", 1));
        var id = await h.QueueAsync("one by one", "ana@origen.test", "bea@destino.test", "nadie@destino.test");
        await h.QueueAsync("second", "ana@origen.test", "nadie@destino.test");
        await h.QueueAsync("third", "ana@origen.test", "cal@destino.test");

        await h.RunAsync();

        Assert.Equal(2, h.Sinks[0].Mail.Count);
        Assert.Equal(["bea@destino.test"], h.Sinks[0].Mail.Single(m => m.Text.Contains("Subject: one by one", StringComparison.Ordinal)).To);
        Assert.Equal(1, h.Sinks[0].Connections);
        // The transaction that no recipient survived is reset before the next one.
        Assert.Contains("RSET", h.Sinks[0].Commands);
        var events = await h.Events.ListAsync("nadie@destino.test");
        Assert.Equal(2, events.Count(e => e.Kind == OutboundEventKind.Bounced));
        Assert.Null(await h.Queue.GetAsync(id));
    }

    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n")]
    [InlineData(".a\r\n.\r\n..\r\n", "..a\r\n..\r\n...\r\n")]
    [InlineData("bare\nlf\n.dot", "bare\r\nlf\r\n..dot\r\n")]
    [InlineData("no end", "no end\r\n")]
    [InlineData("cr at end\r", "cr at end\r\n")]
    [InlineData("", "")]
    public void Data_is_dot_stuffed_and_ends_with_a_line_break(string input, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        SmtpDelivery.Stuff(Encoding.ASCII.GetBytes(input), output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("Message-ID: <a@b>\r\nSubject: x\r\n\r\nbody", "a@b")]
    [InlineData("Subject: x\r\nmessage-id:\r\n  <folded@b>\r\n\r\n", "folded@b")]
    [InlineData("Subject: x\r\n\r\nMessage-ID: <in-body@b>\r\n", null)]
    public void Message_id_is_read_from_the_header_only(string message, string? expected) =>
        Assert.Equal(expected, QueuedContent.MessageId(Encoding.ASCII.GetBytes(message)));
}
