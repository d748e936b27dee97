using Estafeta.Mail.Outbound.Tests.Support;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound.Tests;

/// <summary>The throughput path (batched claims, group-committed outcomes and removals) on SQLite and PostgreSQL.</summary>
public sealed class SettlementTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Many_delivered_messages_are_settled_in_few_transactions_and_leave_nothing_behind(bool postgres)
    {
        await using var h = await MtaHarness.StartAsync(postgres: postgres);
        for (var d = 0; d < 4; d++) h.Domain($"d{d}.test", sink: d % 2);
        var ids = new List<long>();
        for (var i = 0; i < 120; i++) ids.Add(await h.QueueAsync($"m{i}", "ana@origen.test", $"r{i}@d{i % 4}.test"));
        var files = (await h.Queue.ListAsync()).Select(e => h.Engine.Blobs.PathOf(e.BlobHash)).ToList();
        Assert.All(files, f => Assert.True(File.Exists(f)));

        await h.RunAsync();

        Assert.Equal(120, h.Sinks[0].Mail.Count + h.Sinks[1].Mail.Count);
        Assert.Empty(await h.Queue.ListAsync());
        var events = await h.Events.ListAsync(limit: 1000);
        Assert.Equal(120, events.Count);
        Assert.All(events, e => Assert.Equal(OutboundEventKind.Delivered, e.Kind));
        Assert.Equal(ids.Order(), events.Select(e => e.QueueId!.Value).Order());
        // The files go right after the commit that removed their rows (the pass does not wait for that).
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
            while (files.Any(File.Exists)) await Task.Delay(20, timeout.Token);
        var (commits, settled) = h.Runner.Metrics.Settlements!.Invoke();
        Assert.Equal(120, settled);
        Assert.InRange(commits, 1, 119);
        var metrics = await h.Runner.Metrics.RenderAsync(h.Queue, h.Clock, CancellationToken.None);
        Assert.Contains("estafeta_outbound_settled_messages_total 120\n", metrics);
        Assert.Contains("estafeta_queue_messages 0\n", metrics);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mixed_outcomes_keep_the_entry_with_each_recipients_answer_and_the_attempt_log(bool postgres)
    {
        await using var h = await MtaHarness.StartAsync(postgres: postgres);
        h.Domain("destino.test");
        h.Sinks[0].RcptReply = to => to.Contains("gris", StringComparison.Ordinal) ? "451 4.7.1 Greylisted" : "250 2.1.5 Ok";
        var mixed = await h.QueueAsync("mixto", "ana@origen.test", "bea@destino.test", "gris@destino.test");
        var clean = await h.QueueAsync("limpio", "ana@origen.test", "eva@destino.test");

        await h.RunAsync();

        Assert.Null(await h.Queue.GetAsync(clean));
        var entry = (await h.Queue.GetAsync(mixed))!;
        Assert.Null(entry.LeaseOwner);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal((OutboundState.Delivered, "2.0.0"), (entry.Recipients.Single(r => r.Address == "bea@destino.test").State, entry.Recipients.Single(r => r.Address == "bea@destino.test").Status));
        var deferred = entry.Recipients.Single(r => r.Address == "gris@destino.test");
        Assert.Equal((OutboundState.Queued, "4.7.1"), (deferred.State, deferred.Status));
        var attempts = await h.Queue.AttemptsAsync(mixed);
        Assert.Equal(["delivered", "deferred"], attempts.OrderBy(a => a.Recipient, StringComparer.Ordinal).Select(a => a.Outcome));

        // The retry sends only to the deferred recipient, then the entry goes.
        h.Sinks[0].RcptReply = _ => "250 2.1.5 Ok";
        h.Advance(TimeSpan.FromMinutes(10));
        await h.RunAsync();
        Assert.Null(await h.Queue.GetAsync(mixed));
        Assert.Equal(["gris@destino.test"], h.Sinks[0].Mail.Last().To);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_claim_leases_a_batch_that_the_next_claim_does_not_take_again(bool postgres)
    {
        await using var h = await MtaHarness.StartAsync(postgres: postgres);
        for (var i = 0; i < 30; i++) await h.QueueAsync($"c{i}", "ana@origen.test", $"r{i}@destino.test", $"s{i}@destino.test");
        var until = h.Clock.GetUtcNow() + TimeSpan.FromMinutes(15);

        var first = await h.Queue.ClaimDueAsync("node-a", until, 20);
        var second = await h.Queue.ClaimDueAsync("node-a", until, 20);
        var third = await h.Queue.ClaimDueAsync("node-b", until, 20);

        Assert.Equal(20, first.Count);
        Assert.Equal(10, second.Count);
        Assert.Empty(third);
        Assert.Empty(first.Select(m => m.Id).Intersect(second.Select(m => m.Id)));
        Assert.All(first.Concat(second), m => Assert.Equal(2, m.Recipients.Count));
        Assert.All(first.Concat(second), m => Assert.Equal("node-a", m.LeaseOwner));
        // Lease ends are distinct per claim even within one millisecond, so each claim reads back only its own rows.
        Assert.NotEqual(first[0].LeaseUntil, second[0].LeaseUntil);

        // A lease that ran out makes the entries due again for anyone.
        h.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(30, (await h.Queue.ClaimDueAsync("node-b", h.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), 100)).Count);
    }
}
