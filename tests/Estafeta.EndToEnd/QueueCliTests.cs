using System.Text;
using System.Text.Json;
using Estafeta.Storage;

namespace Estafeta.EndToEnd;

/// <summary>`estafeta queue ...` through the real program, over a data folder whose queue the test fills.</summary>
public sealed class QueueCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "estafeta-queue-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    private Task<EstafetaProcess.Result> Run(params string[] args) => EstafetaProcess.RunAsync(null, [.. args, "--data", _data]);

    private async Task<JsonElement> Json(params string[] args)
    {
        var result = await Run([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result.Stderr);
        return JsonDocument.Parse(result.Stdout).RootElement;
    }

    /// <summary>Three queued messages: two to uno.test (one of them also to dos.test), one to dos.test.</summary>
    private async Task<long[]> FillAsync()
    {
        await using var db = Database.Create(_data, null);
        await db.MigrateAsync();
        await using var writer = new DeliveryWriter(db);
        var ids = new List<long>();
        foreach (var (subject, to) in new[] { ("a", new[] { "ana@uno.test" }), ("b", new[] { "bea@uno.test", "carla@dos.test" }), ("c", new[] { "dora@dos.test" }) })
        {
            var blob = await db.Blobs.WriteAsync(Encoding.ASCII.GetBytes($"Return-Path: <eva@origen.test>\r\nFrom: eva@origen.test\r\nSubject: {subject}\r\n\r\nx\r\n"));
            var receipt = await writer.CommitAsync(new Delivery(blob, [], DateTimeOffset.UtcNow, new MessageEnvelope(null, subject, null, null, null, null, null, null, null, null),
                Outbound: new OutboundMessage("eva@origen.test", [.. to.Select(t => new OutboundRecipient(t, "FAILURE", "rfc822;" + t))])));
            ids.Add(receipt.QueueId!.Value);
        }
        // b was tried once: one recipient deferred with the remote answer, the next attempt in an hour.
        var queue = new OutboundQueueStore(db);
        var b = (await queue.GetAsync(ids[1]))!;
        var deferred = b.Recipients.Single(r => r.Address == "carla@dos.test");
        await queue.RecordAsync(b.Id, [new RecipientOutcome(deferred.Id, OutboundState.Queued, "4.2.2", "452 4.2.2 Mailbox full", "mx.dos.test")],
            [new DeliveryAttempt(DateTimeOffset.UtcNow, "dos.test", "deferred", "452 4.2.2 Mailbox full", "carla@dos.test", "mx.dos.test", "127.0.0.1:25", "none")], []);
        await queue.RescheduleAsync(b.Id, DateTimeOffset.UtcNow.AddHours(1), "452 4.2.2 Mailbox full", countAttempt: true);
        return [.. ids];
    }

    [Fact]
    public async Task Queue_verbs_have_help()
    {
        var top = await EstafetaProcess.RunAsync(null, "queue", "--help");
        Assert.Equal(0, top.ExitCode);
        foreach (var verb in new[] { "list", "show", "retry", "hold", "release", "delete", "flush", "stats", "events" })
        {
            Assert.Contains(verb, top.Stdout);
            var help = await EstafetaProcess.RunAsync(null, "queue", verb, "--help");
            Assert.True(help.ExitCode == 0, verb + ": " + help.Stderr);
            Assert.Contains("Usage:", help.Stdout);
        }
    }

    [Fact]
    public async Task List_filters_by_domain_state_and_age_and_show_prints_the_attempts()
    {
        var ids = await FillAsync();

        var all = await Json("queue", "list");
        Assert.Equal(ids, all.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        var uno = await Json("queue", "list", "--domain", "uno.test");
        Assert.Equal([ids[0], ids[1]], uno.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Empty((await Json("queue", "list", "--older-than", "1h")).EnumerateArray());
        Assert.Equal(3, (await Json("queue", "list", "--state", "queued")).GetArrayLength());
        var badState = await Run("queue", "list", "--state", "sideways");
        Assert.NotEqual(0, badState.ExitCode);
        Assert.Contains("queued or held", badState.Stderr);

        var table = await Run("queue", "list");
        Assert.Equal(0, table.ExitCode);
        // The table fits the terminal (long cells wrap); the counts of recipients left show whole.
        Assert.Contains("(2/2)", table.Stdout);
        Assert.Contains("(1/1)", table.Stdout);

        var shown = await Json("queue", "show", ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, shown.GetProperty("attempts").GetInt32());
        var carla = shown.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("address").GetString() == "carla@dos.test");
        Assert.Equal(("4.2.2", "rfc822;carla@dos.test", "FAILURE"), (carla.GetProperty("status").GetString(), carla.GetProperty("orcpt").GetString(), carla.GetProperty("notify").GetString()));
        var attempt = Assert.Single(shown.GetProperty("history").EnumerateArray());
        Assert.Equal(("deferred", "452 4.2.2 Mailbox full", "mx.dos.test"), (attempt.GetProperty("outcome").GetString(), attempt.GetProperty("reply").GetString(), attempt.GetProperty("mx").GetString()));
        var text = await Run("queue", "show", ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Queue entry " + ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture) + " (queued)", text.Stdout);
        Assert.Contains("1 attempt(s)", text.Stdout);

        var missing = await Run("queue", "show", "999999");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("999999 does not exist", missing.Stderr);
    }

    [Fact]
    public async Task Hold_release_retry_flush_and_delete_change_the_queue()
    {
        var ids = await FillAsync();
        var a = ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var b = ids[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var c = ids[2].ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(0, (await Run("queue", "hold", a)).ExitCode);
        Assert.Equal([ids[0]], (await Json("queue", "list", "--state", "held")).EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        // Holding again is harmless (the verb states the wanted state).
        Assert.Equal(0, (await Run("queue", "hold", a)).ExitCode);
        Assert.Equal("held", (await Json("queue", "show", a)).GetProperty("state").GetString());
        // Held messages stay held through a flush.
        var flushed = await Run("queue", "flush");
        Assert.Contains("2 message(s) due now", flushed.Stdout);
        Assert.Equal("held", (await Json("queue", "show", a)).GetProperty("state").GetString());
        Assert.Equal(0, (await Run("queue", "release", a)).ExitCode);
        Assert.Equal("queued", (await Json("queue", "show", a)).GetProperty("state").GetString());

        // b was flushed: its next attempt is no longer an hour away. Put it back and retry it alone.
        await using (var db = Database.Create(_data, null))
            await new OutboundQueueStore(db).RescheduleAsync(ids[1], DateTimeOffset.UtcNow.AddHours(1), null, countAttempt: false);
        Assert.True((await Json("queue", "show", b)).GetProperty("nextAttempt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));
        var retried = await Run("queue", "retry", b);
        Assert.Contains("1 message(s) due now", retried.Stdout);
        Assert.True((await Json("queue", "show", b)).GetProperty("nextAttempt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddSeconds(1));
        var noTarget = await Run("queue", "retry");
        Assert.NotEqual(0, noTarget.ExitCode);
        Assert.Contains("--all", noTarget.Stderr);

        var stats = await Json("queue", "stats");
        Assert.Equal((3, 4), (stats.GetProperty("messages").GetInt64(), stats.GetProperty("recipients").GetInt64()));

        Assert.Equal(0, (await Run("queue", "delete", c)).ExitCode);
        Assert.Equal([ids[0], ids[1]], (await Json("queue", "list")).EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        var deleteAgain = await Run("queue", "delete", c);
        Assert.NotEqual(0, deleteAgain.ExitCode);
        Assert.Contains("does not exist", deleteAgain.Stderr);
    }
}
