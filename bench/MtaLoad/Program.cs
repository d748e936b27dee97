using System.Text;
using Estafeta.Mail;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// usage: MtaLoad DATA MESSAGES DOMAINS SIZE — queues MESSAGES messages of SIZE bytes, one recipient each,
// spread over DOMAINS recipient domains (r{i}@d{i % DOMAINS}.bench.test), from bench@origen.bench.test.
var data = args[0];
var messages = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var domains = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var size = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);

await using var db = Database.Create(data, null);
await db.MigrateAsync();
await using var engine = new MailEngine(db, new MailEngineOptions("mx.origen.bench.test", 50L << 20), TimeProvider.System, NullLoggerFactory.Instance, new DnsClientResolver());
var body = new StringBuilder();
while (body.Length < size) body.Append("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incid\r\n");
var next = -1;
async Task Worker()
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < messages)
    {
        var to = $"r{i}@d{i % domains}.bench.test";
        var content = Encoding.ASCII.GetBytes($"From: Bench <bench@origen.bench.test>\r\nTo: <{to}>\r\nSubject: bench {i}\r\nMessage-ID: <bench-{i}@origen.bench.test>\r\nDate: {DateTimeOffset.UtcNow:R}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n{body}");
        await engine.SubmitAsync(new LocalSubmission("bench@origen.bench.test", [to], content));
    }
}
await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Worker()));
Console.WriteLine($"queued {messages}");
