using System.Globalization;
using Estafeta.EndToEnd.Outbound;
using Estafeta.Hosting;
using Estafeta.Mail;
using Estafeta.Storage;
using Estafeta.Testing;
using Microsoft.Extensions.Logging;

namespace Estafeta.EndToEnd;

/// <summary>/metrics of a running host: the queue gauges and the outcome counters move with real deliveries.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "estafeta-metrics-" + Guid.NewGuid().ToString("N"));
    private CountingSink _sink = null!;
    private LoopbackDnsServer _dns = null!;
    private EstafetaHost _host = null!;

    public async Task InitializeAsync()
    {
        _sink = new CountingSink();
        // entrega.test reaches the sink; caida.test's MX is an address where nothing listens (deferred).
        var zone = new DnsZone().AddMx("entrega.test", 10, "mx.entrega.test").AddA("mx.entrega.test", "127.0.0.1")
            .AddMx("caida.test", 10, "mx.caida.test").AddA("mx.caida.test", "127.0.0.9");
        _dns = await LoopbackDnsServer.StartAsync(zone);
        _host = await EstafetaHost.StartAsync(ServerFixture.Settings(_data, new()
        {
            ["hostname"] = "mx.origen.test",
            ["dns"] = _dns.EndPoint.ToString(),
            ["mx-port"] = _sink.EndPoint.Port.ToString(CultureInfo.InvariantCulture),
        }), LoggerFactory.Create(_ => { }));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _dns.DisposeAsync();
        await _sink.DisposeAsync();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Metrics_count_deliveries_and_deferrals_per_destination_and_show_the_queue()
    {
        var before = await MetricsAsync();
        Assert.Contains("# TYPE estafeta_queue_messages gauge", before);
        Assert.Equal(0, Value(before, "estafeta_queue_messages"));
        Assert.Equal(0, Value(before, "estafeta_outbound_settled_messages_total"));
        Assert.DoesNotContain("estafeta_outbound_recipients_total{", before);

        for (var i = 0; i < 3; i++)
            await _host.Engine.SubmitAsync(new LocalSubmission("ana@origen.test", [$"r{i}@entrega.test"], Mail($"m{i}")));
        await _host.Engine.SubmitAsync(new LocalSubmission("ana@origen.test", ["nadie@caida.test"], Mail("lejos")));
        _host.Outbound.Wake();

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (_sink.Total < 3 || !(await MetricsAsync()).Contains("outcome=\"deferred\"", StringComparison.Ordinal))
                await Task.Delay(50, timeout.Token);
            while (Value(await MetricsAsync(), "estafeta_queue_messages") != 1) await Task.Delay(50, timeout.Token);
        }

        var after = await MetricsAsync();
        Assert.Equal(3, Value(after, "estafeta_outbound_recipients_total{destination=\"entrega.test\",outcome=\"delivered\"}"));
        Assert.Equal(1, Value(after, "estafeta_outbound_recipients_total{destination=\"caida.test\",outcome=\"deferred\"}"));
        Assert.Equal(1, Value(after, "estafeta_queue_recipients"));
        Assert.InRange(Value(after, "estafeta_queue_oldest_age_seconds"), 0.0001, 600);
        Assert.True(Value(after, "estafeta_outbound_settled_messages_total") >= 3);
        Assert.InRange(Value(after, "estafeta_outbound_settle_commits_total"), 1, Value(after, "estafeta_outbound_settled_messages_total"));
        AssertFamiliesContiguous(after);
    }

    [Fact]
    public async Task Only_the_busiest_destinations_get_a_label_of_their_own_and_the_rest_are_added_up()
    {
        var metrics = new Estafeta.Mail.Outbound.OutboundMetrics();
        for (var d = 0; d < 150; d++)
            for (var n = 0; n <= d; n++) metrics.Count($"d{d:000}.test", OutboundEventKind.Delivered);

        var text = await metrics.RenderAsync(new OutboundQueueStore(_host.Database), TimeProvider.System, default);

        var labelled = text.Split('\n').Where(l => l.StartsWith("estafeta_outbound_recipients_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(Estafeta.Mail.Outbound.OutboundMetrics.MaxDestinations + 1, labelled.Count);
        Assert.Equal(150, Value(text, "estafeta_outbound_recipients_total{destination=\"d149.test\",outcome=\"delivered\"}"));
        Assert.DoesNotContain(labelled, l => l.Contains("d049.test", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 50).Sum(), Value(text, "estafeta_outbound_recipients_total{destination=\"(other)\",outcome=\"delivered\"}"));
        AssertFamiliesContiguous(text);
    }

    /// <summary>Each metric's samples come right after its HELP and TYPE lines, with no other metric between (the text
    /// format's rule; strict readers refuse the page otherwise).</summary>
    private static void AssertFamiliesContiguous(string metrics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                current = line.Split(' ')[2];
                Assert.True(seen.Add(current), $"{current} has a second TYPE line");
            }
            else if (!line.StartsWith('#'))
            {
                Assert.Equal(current, line.Split('{', ' ')[0]);
            }
        }
    }

    private async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://{_host.Endpoints["http"]}/metrics"));
        Assert.True(response.IsSuccessStatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of one sample line (name with its labels), or fails when there is none.</summary>
    private static double Value(string metrics, string sample)
    {
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {sample} in:\n{metrics}");
        return double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static byte[] Mail(string subject) =>
        System.Text.Encoding.ASCII.GetBytes($"From: <ana@origen.test>\r\nTo: <x@entrega.test>\r\nSubject: {subject}\r\nMessage-ID: <{subject}@origen.test>\r\n\r\nHola.\r\n");
}
