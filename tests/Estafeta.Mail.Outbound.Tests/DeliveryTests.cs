using Estafeta.Mail.Outbound.Tests.Support;
using Estafeta.Storage;
using Estafeta.Testing;
using MimeKit;

namespace Estafeta.Mail.Outbound.Tests;

public sealed class DeliveryTests
{
    [Fact]
    public async Task Accepted_message_is_delivered_without_its_return_path_and_removed_from_the_queue()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        var id = await h.QueueAsync("uno", "ana@origen.test", "bea@destino.test");

        await h.RunAsync();

        var mail = Assert.Single(h.Sinks[0].Mail);
        Assert.Equal("ana@origen.test", mail.From);
        Assert.Equal(["bea@destino.test"], mail.To);
        Assert.StartsWith("Received: from test", mail.Text);
        Assert.DoesNotContain("Return-Path", mail.Text);
        Assert.Null(await h.Queue.GetAsync(id));
        var e = Assert.Single(await h.Events.ListAsync("bea@destino.test"));
        Assert.Equal(OutboundEventKind.Delivered, e.Kind);
        Assert.Equal("uno@origen.test", e.MessageId);
    }

    [Fact]
    public async Task Temporary_failure_is_retried_after_the_backoff_and_then_delivered()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        var answer = "451 4.7.1 Greylisted, try again";
        h.Sinks[0].RcptReply = _ => answer;
        var id = await h.QueueAsync("gris", "ana@origen.test", "bea@destino.test");

        await h.RunAsync();
        var deferred = (await h.Queue.GetAsync(id))!;
        Assert.Equal(1, deferred.Attempts);
        Assert.Equal("4.7.1", deferred.Recipients[0].Status);
        var wait = deferred.NextAttemptAt - h.Clock.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6.1));
        await h.RunAsync();
        Assert.Equal(1, (await h.Queue.GetAsync(id))!.Attempts);

        answer = "250 2.1.5 Ok";
        h.Advance(TimeSpan.FromMinutes(7));
        await h.RunAsync();

        Assert.Single(h.Sinks[0].Mail);
        Assert.Null(await h.Queue.GetAsync(id));
        var events = await h.Events.ListAsync("bea@destino.test");
        Assert.Equal([OutboundEventKind.Delivered, OutboundEventKind.Deferred], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Backoff_doubles_with_each_attempt()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = _ => "450 4.2.0 Busy";
        var id = await h.QueueAsync("doble", "ana@origen.test", "bea@destino.test");
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            await h.RunAsync();
            var entry = (await h.Queue.GetAsync(id))!;
            waits.Add(entry.NextAttemptAt - h.Clock.GetUtcNow());
            h.Clock.Advance(entry.NextAttemptAt - h.Clock.GetUtcNow());
        }
        for (var i = 1; i < waits.Count; i++) Assert.InRange(waits[i] / waits[i - 1], 1.3, 3.1);
    }

    [Fact]
    public async Task Permanent_failure_bounces_that_recipient_only_and_sends_a_dsn_to_the_sender()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = a => a.StartsWith("nadie@", StringComparison.Ordinal) ? "550 5.1.1 <nadie@destino.test>: user unknown" : "250 2.1.5 Ok";
        var id = await h.QueueAsync("mixto", "ana@origen.test",
            [new OutboundRecipient("bea@destino.test"), new OutboundRecipient("nadie@destino.test", "FAILURE", "rfc822;Nadie@Destino.test")], envId: "ENV-42");

        await h.RunAsync();

        Assert.Equal(["bea@destino.test"], Assert.Single(h.Sinks[0].Mail).To);
        Assert.Null(await h.Queue.GetAsync(id));
        var bounce = Assert.Single(await h.Events.ListAsync("nadie@destino.test"));
        Assert.Equal((OutboundEventKind.Bounced, "hard", "5.1.1"), (bounce.Kind, bounce.BounceClass, bounce.Status));
        var (entry, dsn) = Assert.Single(await h.NoticesAsync());
        Assert.Equal(["ana@origen.test"], entry.Recipients.Select(r => r.Address));
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = Assert.Single(dsn.BodyParts.OfType<MessageDeliveryStatus>());
        Assert.Equal("ENV-42", status.StatusGroups[0]["Original-Envelope-Id"]);
        var group = status.StatusGroups[1];
        Assert.Equal("rfc822; nadie@destino.test", group["Final-Recipient"]);
        Assert.Equal("rfc822;Nadie@Destino.test", group["Original-Recipient"]);
        Assert.Equal("failed", group["Action"]);
        Assert.Equal("5.1.1", group["Status"]);
        Assert.Contains("user unknown", group["Diagnostic-Code"]);
        Assert.Contains(report, p => p is MessagePart { Message.Subject: "mixto" });
    }

    [Fact]
    public async Task Message_expires_after_its_lifetime_and_bounces_with_the_last_answer()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = _ => "452 4.2.2 Mailbox full";
        var id = await h.QueueAsync("caduca", "ana@origen.test", "bea@destino.test");
        while (await h.Queue.GetAsync(id) is { } entry)
        {
            await h.RunAsync();
            if (await h.Queue.GetAsync(id) is { } next) h.Clock.Advance(next.NextAttemptAt - h.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
            Assert.True(h.Clock.GetUtcNow() < entry.CreatedAt + TimeSpan.FromDays(5.2), "expired in time");
        }

        var notices = await h.NoticesAsync();
        Assert.Contains(notices, n => n.Message.Subject == "Delayed Mail (still being retried)");
        var failure = Assert.Single(notices, n => n.Message.Subject == "Undelivered Mail Returned to Sender").Message;
        var group = failure.BodyParts.OfType<MessageDeliveryStatus>().Single().StatusGroups[1];
        Assert.Equal("4.4.7", group["Status"]);
        Assert.Contains("Mailbox full", group["Diagnostic-Code"]);
        var bounced = (await h.Events.ListAsync("bea@destino.test")).First();
        Assert.Equal((OutboundEventKind.Bounced, "expiry", "mailbox_full"), (bounced.Kind, bounced.Source, bounced.BounceClass));
    }

    [Fact]
    public async Task Delay_notice_goes_once_after_four_hours_and_honours_notify()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = _ => "451 4.3.0 Later";
        var id = await h.QueueAsync("lento", "ana@origen.test", [new OutboundRecipient("bea@destino.test"), new OutboundRecipient("cris@destino.test", "FAILURE")]);
        await h.RunAsync();
        Assert.Empty(await h.NoticesAsync());

        h.Advance(TimeSpan.FromHours(4.1));
        await h.RunAsync();
        h.Advance(TimeSpan.FromHours(3));
        await h.RunAsync();

        var (_, notice) = Assert.Single(await h.NoticesAsync());
        var groups = notice.BodyParts.OfType<MessageDeliveryStatus>().Single().StatusGroups.Where(g => g.Count > 0).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal("delayed", groups[1]["Action"]);
        Assert.Equal("rfc822; bea@destino.test", groups[1]["Final-Recipient"]);
        Assert.NotNull(groups[1]["Will-Retry-Until"]);
        Assert.IsType<TextRfc822Headers>(Assert.IsType<MultipartReport>(notice.Body).Last());
        Assert.NotNull(await h.Queue.GetAsync(id));
    }

    [Fact]
    public async Task Null_mx_bounces_at_once_without_connecting()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Zone.AddMx("nulo.test", 0, ".");
        var id = await h.QueueAsync("nulo", "ana@origen.test", "bea@nulo.test");

        await h.RunAsync();

        Assert.Null(await h.Queue.GetAsync(id));
        Assert.Equal(0, h.Sinks[0].Connections + h.Sinks[1].Connections);
        var bounce = Assert.Single(await h.Events.ListAsync("bea@nulo.test"));
        Assert.Equal((OutboundEventKind.Bounced, "5.1.10", "hard"), (bounce.Kind, bounce.Status, bounce.BounceClass));
        Assert.Single(await h.NoticesAsync());
    }

    [Fact]
    public async Task Domain_that_does_not_exist_bounces_and_dns_trouble_defers()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Zone.FailWithServerFailure("roto.test");
        var gone = await h.QueueAsync("nx", "ana@origen.test", "bea@noexiste.test");
        var later = await h.QueueAsync("servfail", "ana@origen.test", "bea@roto.test");

        await h.RunAsync();

        Assert.Null(await h.Queue.GetAsync(gone));
        Assert.Equal("5.1.2", (await h.Events.ListAsync("bea@noexiste.test")).Single().Status);
        Assert.Equal(OutboundState.Queued, (await h.Queue.GetAsync(later))!.Recipients[0].State);
    }

    [Fact]
    public async Task Lower_preference_mx_is_used_first_and_the_next_one_when_it_is_down()
    {
        await using var h = await MtaHarness.StartAsync(sinks: 3);
        h.Zone.AddMx("orden.test", 20, "b.orden.test").AddA("b.orden.test", "127.0.0.3")
            .AddMx("orden.test", 10, "a.orden.test").AddA("a.orden.test", "127.0.0.2");
        h.Zone.AddMx("caido.test", 5, "muerto.caido.test").AddA("muerto.caido.test", "127.0.0.9")
            .AddMx("caido.test", 50, "vivo.caido.test").AddA("vivo.caido.test", "127.0.0.4");
        await h.QueueAsync("orden", "ana@origen.test", "bea@orden.test");
        await h.QueueAsync("caido", "ana@origen.test", "bea@caido.test");

        await h.RunAsync();

        Assert.Equal("orden", MimeMessage.Load(new MemoryStream(Assert.Single(h.Sinks[0].Mail).Data)).Subject);
        Assert.Empty(h.Sinks[1].Mail);
        Assert.Equal("caido", MimeMessage.Load(new MemoryStream(Assert.Single(h.Sinks[2].Mail).Data)).Subject);
    }

    [Fact]
    public async Task Equal_preference_mx_hosts_are_shuffled()
    {
        var firsts = new HashSet<string>();
        var dns = new Estafeta.Testing.InMemoryDnsResolver();
        dns.Zone.AddMx("par.test", 10, "a.par.test").AddA("a.par.test", "127.0.0.2").AddMx("par.test", 10, "b.par.test").AddA("b.par.test", "127.0.0.3")
            .AddMx("par.test", 30, "c.par.test").AddA("c.par.test", "127.0.0.4");
        var resolver = new MxResolver(dns, new Random(7));
        for (var i = 0; i < 40; i++)
        {
            var lookup = await resolver.ResolveAsync("par.test", 25, CancellationToken.None);
            firsts.Add(lookup.Hosts[0].Name);
            Assert.Equal("c.par.test", lookup.Hosts[2].Name);
        }
        Assert.Equal(["a.par.test", "b.par.test"], firsts.Order());
    }

    [Fact]
    public async Task Messages_to_one_destination_share_one_connection()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        await h.Settings.SetLimitAsync(new DestinationLimit("destino.test", 1));
        for (var i = 0; i < 6; i++) await h.QueueAsync($"m{i}", "ana@origen.test", $"r{i}@destino.test");

        await h.RunAsync();

        Assert.Equal(6, h.Sinks[0].Mail.Count);
        Assert.Equal(1, h.Sinks[0].Connections);
        Assert.Contains(h.Sinks[0].Commands, c => c.StartsWith("EHLO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connection_dropped_in_the_middle_of_data_defers_and_the_retry_delivers()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].DropMidData = true;
        var body = string.Join("\r\n", Enumerable.Range(0, 20).Select(i => $"linea {i}"));
        var blob = await h.Engine.Blobs.WriteAsync(MtaHarness.Message("corte", body: body));
        var id = (await h.Engine.Writer.CommitAsync(new Delivery(blob, [], h.Clock.GetUtcNow(), new MessageEnvelope(null, null, null, null, null, null, null, null, null, null),
            Outbound: new OutboundMessage("ana@origen.test", [new OutboundRecipient("bea@destino.test")])))).QueueId!.Value;

        await h.RunAsync();
        var entry = (await h.Queue.GetAsync(id))!;
        Assert.Equal("4.4.2", entry.Recipients[0].Status);

        h.Sinks[0].DropMidData = false;
        h.Advance(TimeSpan.FromHours(1));
        await h.RunAsync();
        Assert.Null(await h.Queue.GetAsync(id));
        Assert.Contains("linea 19", Assert.Single(h.Sinks[0].Mail).Text);
    }

    [Fact]
    public async Task Greeting_421_defers_and_the_destination_rests()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].Greeting = "421 4.7.0 Too many connections, slow down";
        var id = await h.QueueAsync("lleno", "ana@origen.test", "bea@destino.test");

        await h.RunAsync();

        var entry = (await h.Queue.GetAsync(id))!;
        Assert.StartsWith("4", entry.Recipients[0].Status);
        Assert.Contains("Too many connections", entry.Recipients[0].LastError);
        Assert.True(entry.NextAttemptAt >= h.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("552 5.2.2 Mailbox full", OutboundEventKind.Bounced, "mailbox_full")]
    [InlineData("550 5.7.1 Message rejected as spam", OutboundEventKind.Bounced, "blocked")]
    [InlineData("452 4.2.2 Over quota", OutboundEventKind.Deferred, "mailbox_full")]
    [InlineData("554 5.7.9 Blocked by policy", OutboundEventKind.Bounced, "blocked")]
    [InlineData("550 5.1.1 No such user", OutboundEventKind.Bounced, "hard")]
    public async Task Answers_to_data_are_recorded_with_their_class(string reply, OutboundEventKind kind, string cls)
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].DataReply = _ => reply;
        await h.QueueAsync("clase", "ana@origen.test", "bea@destino.test");

        await h.RunAsync();

        var e = Assert.Single(await h.Events.ListAsync("bea@destino.test"));
        Assert.Equal((kind, cls), (e.Kind, e.BounceClass));
    }

    [Fact]
    public async Task Starttls_with_a_self_signed_certificate_is_used_and_recorded()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].Certificate = ScriptedSmtpSink.SelfSigned("mx0.destino.test");
        var id = await h.QueueAsync("cifrado", "ana@origen.test", "bea@destino.test");
        await h.Queue.HoldAsync(id);
        await h.Queue.ReleaseAsync(id);

        await h.RunAsync();

        Assert.True(Assert.Single(h.Sinks[0].Mail).Tls);
    }

    [Fact]
    public async Task Mta_sts_enforce_refuses_a_plaintext_mx_and_counts_it_for_the_tls_report()
    {
        await using var h = await MtaHarness.StartAsync(options: new OutboundOptions
        {
            MtaStsPolicyUri = d => new Uri($"http://policy.invalid/{d}"),
            MtaStsHttpHandler = new StaticHttpHandler("version: STSv1\r\nmode: enforce\r\nmx: *.seguro.test\r\nmax_age: 86400\r\n"),
        });
        h.Domain("seguro.test");
        h.Zone.AddTxt("_mta-sts.seguro.test", "v=STSv1; id=20250301");
        h.Zone.AddTxt("_smtp._tls.seguro.test", "v=TLSRPTv1; rua=mailto:tls@informes.test");
        var id = await h.QueueAsync("sts", "ana@origen.test", "bea@seguro.test");

        await h.RunAsync();

        Assert.Empty(h.Sinks[0].Mail);
        var entry = (await h.Queue.GetAsync(id))!;
        Assert.Equal("4.7.10", entry.Recipients[0].Status);
        var counts = await new TlsReportStore(h.Db).PendingAsync("9999-12-31");
        var count = Assert.Single(counts);
        Assert.Equal(("seguro.test", "sts", "starttls-not-supported", 1L), (count.PolicyDomain, count.PolicyType, count.Result, count.Sessions));
    }

    [Fact]
    public async Task Verp_mail_carries_a_signed_return_path_per_recipient_that_maps_a_later_bounce_back()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        var id = await h.QueueAsync("boletin", "noticias@origen.test", [new OutboundRecipient("bea@destino.test"), new OutboundRecipient("cris@destino.test")], verp: true);

        await h.RunAsync();

        Assert.Equal(2, h.Sinks[0].Mail.Count);
        var toCris = h.Sinks[0].Mail.Single(m => m.To.Single() == "cris@destino.test");
        Assert.StartsWith("bounce+", toCris.From);
        Assert.EndsWith("@origen.test", toCris.From);
        Assert.True(h.Runner.Verp.TryRead(toCris.From, out var token));
        Assert.Equal(id, token.QueueId);

        var dsn = DsnBuilder.Build("mx.destino.test", toCris.From, null, h.Clock.GetUtcNow(), h.Clock.GetUtcNow(),
            [new DsnRecipient("cris@destino.test", null, "failed", "5.2.1", "mx.destino.test", "550 5.2.1 account disabled", h.Clock.GetUtcNow())],
            new MemoryStream(toCris.Data), "HDRS", toCris.Data.Length);
        var rest = await h.Engine.Feedback.ReceiveAsync([new Estafeta.Smtp.ForwardPath(toCris.From)], () => new MemoryStream(dsn), CancellationToken.None);

        Assert.Empty(rest);
        var bounce = (await h.Events.ListAsync("cris@destino.test")).First();
        Assert.Equal((OutboundEventKind.Bounced, "hard", "dsn", id), (bounce.Kind, bounce.BounceClass, bounce.Source, bounce.QueueId));
        Assert.Empty(await h.NoticesAsync());
        Assert.False(h.Runner.Verp.TryRead(toCris.From.Replace("bounce+", "bounce+1", StringComparison.Ordinal), out _));
    }

    [Fact]
    public async Task A_failure_notice_leaves_out_the_recipients_that_asked_for_none_and_is_not_sent_when_all_did()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = _ => "550 5.1.1 unknown";
        await h.QueueAsync("nunca", "ana@origen.test", [new OutboundRecipient("bea@destino.test", "NEVER")]);
        await h.QueueAsync("mezcla", "ana@origen.test",
            [new OutboundRecipient("cris@destino.test", "NEVER"), new OutboundRecipient("dani@destino.test", "DELAY"), new OutboundRecipient("eva@destino.test")]);

        await h.RunAsync();

        // RFC 3461 §4.1: NEVER, or a NOTIFY without FAILURE, asks for no failure notice; no NOTIFY asks for one.
        var (_, dsn) = Assert.Single(await h.NoticesAsync());
        var status = Assert.Single(dsn.BodyParts.OfType<MessageDeliveryStatus>());
        Assert.Equal(["rfc822; eva@destino.test"], status.StatusGroups.Skip(1).Where(g => g.Count > 0).Select(g => g["Final-Recipient"]));
    }

    [Fact]
    public async Task A_bounce_of_a_bounce_is_never_sent()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = _ => "550 5.1.1 unknown";
        var id = await h.QueueAsync("rebote", "", "bea@destino.test");

        await h.RunAsync();

        Assert.Null(await h.Queue.GetAsync(id));
        Assert.Empty(await h.Queue.ListAsync());
    }

    [Fact]
    public async Task Route_sends_every_domain_to_the_smart_host_and_tls_required_refuses_plaintext()
    {
        await using var h = await MtaHarness.StartAsync();
        await h.Settings.SetRouteAsync(new OutboundRoute("*", "127.0.0.3", h.Sinks[1].EndPoint.Port));
        await h.Settings.SetRouteAsync(new OutboundRoute("seguro.test", "127.0.0.3", h.Sinks[1].EndPoint.Port, TlsRequired: true));
        await h.QueueAsync("a", "ana@origen.test", "x@uno.test", "y@dos.test");
        var tls = await h.QueueAsync("b", "ana@origen.test", "z@seguro.test");

        await h.RunAsync();

        var mail = Assert.Single(h.Sinks[1].Mail);
        Assert.Equal(["x@uno.test", "y@dos.test"], mail.To);
        Assert.Equal("4.7.10", (await h.Queue.GetAsync(tls))!.Recipients[0].Status);
    }

    [Fact]
    public async Task Warm_up_cap_holds_the_rest_until_the_next_day_without_counting_an_attempt()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        await h.Settings.SetWarmupAsync(new WarmupSchedule("origen.test", h.Clock.GetUtcNow(), 2, 10, 1000));
        for (var i = 0; i < 3; i++)
        {
            await h.QueueAsync($"w{i}", "ana@origen.test", $"r{i}@destino.test");
            await h.RunAsync();
        }

        Assert.Equal(2, h.Sinks[0].Mail.Count);
        var held = Assert.Single(await h.Queue.ListAsync());
        Assert.Equal(0, held.Attempts);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 0, 0, 0, TimeSpan.Zero), held.NextAttemptAt);
        h.Advance(TimeSpan.FromDays(1));
        await h.RunAsync();
        Assert.Equal(3, h.Sinks[0].Mail.Count);
    }

    [Fact]
    public async Task Leases_of_a_node_that_stopped_are_released_at_start()
    {
        await using var h = await MtaHarness.StartAsync();
        var id = await h.QueueAsync("vuelo", "ana@origen.test", "bea@destino.test");
        Assert.Single(await h.Queue.ClaimDueAsync("test-node", h.Clock.GetUtcNow() + TimeSpan.FromHours(1), 10));
        Assert.Empty(await h.Queue.ClaimDueAsync("other", h.Clock.GetUtcNow() + TimeSpan.FromHours(1), 10));

        Assert.Equal(1, await h.Queue.ReleaseLeasesAsync("test-node"));
        Assert.Equal(id, Assert.Single(await h.Queue.ClaimDueAsync("other", h.Clock.GetUtcNow() + TimeSpan.FromHours(1), 10)).Id);
    }
}
