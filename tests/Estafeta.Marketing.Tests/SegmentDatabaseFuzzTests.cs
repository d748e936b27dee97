using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>
/// Random valid expressions over a small random audience, run on the database: each must run without an SQL error,
/// its count must equal the number of contacts its listing returns, and (on SQLite, whose text order is the code
/// points') the contacts it selects must be those an evaluation in memory by the documented semantics selects.
/// </summary>
public abstract class SegmentDatabaseFuzzTests(AudienceBackend backend) : AudienceTests(backend)
{
    private const string Group = "segment-fuzz";

    private async Task<(List<SegmentFuzz.Person> People, SegmentFuzz.World World)> PeopleAsync(Random random)
    {
        foreach (var (field, type) in SegmentFuzz.Fields) await Audience.Fields.DefineAsync(field, type, type == FieldType.Choice ? SegmentFuzz.Choices : null);
        var lists = new Dictionary<string, long>
        {
            ["fuzz-uno"] = (await Audience.Lists.AddAsync("fuzz-uno")).Id,
            ["fuzz-dós"] = (await Audience.Lists.AddAsync("fuzz-dós")).Id,
        };
        var now = DateTimeOffset.UtcNow;
        var people = new List<SegmentFuzz.Person>();
        string[] locals = ["ana", "José", "info", "ñandú", "x_y", "ana.1"];
        string[] domains = ["ejemplo.es", "españa.test", "correo.pt", "gmial.com", "mailinator.com"];
        for (var i = 0; i < 24; i++)
        {
            var fields = new Dictionary<string, string?>();
            if (random.Next(3) > 0) fields["país"] = Fuzz.Pick(random, SegmentFuzz.TextValues);
            if (random.Next(3) > 0) fields["ciudad"] = Fuzz.Pick(random, SegmentFuzz.TextValues);
            if (random.Next(3) > 0) fields["edad"] = Fuzz.Pick(random, (string[])["0", "17.5", "18", "30", "65", "99.25", "-3"]);
            if (random.Next(3) > 0) fields["vip"] = random.Next(2) == 0 ? "true" : "false";
            if (random.Next(3) > 0) fields["alta"] = now.AddDays(random.Next(-800, 30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (random.Next(3) > 0) fields["plan"] = Fuzz.Pick(random, SegmentFuzz.Choices);
            var input = new ContactInput($"{Fuzz.Pick(random, locals)}.{i}.{Guid.NewGuid().ToString("N")[..6]}@{Fuzz.Pick(random, domains)}")
            {
                Name = random.Next(3) == 0 ? null : Fuzz.Pick(random, SegmentFuzz.TextValues),
                Language = Fuzz.Pick(random, (string?[])[null, "es", "en", "es-MX"]),
                TimeZone = Fuzz.Pick(random, (string?[])[null, "Europe/Madrid", "UTC", "America/Mexico_City"]),
                Fields = fields,
                Tags = [Group, .. SegmentFuzz.Tags.Where(_ => random.Next(4) == 0)],
            };
            var contact = (await Audience.Contacts.UpsertAsync(input)).Contact;
            var events = new List<SegmentFuzz.Event>();
            for (var e = random.Next(6); e > 0; e--)
            {
                var kind = Fuzz.Pick(random, (EngagementKind[])[EngagementKind.Opened, EngagementKind.Clicked, EngagementKind.Converted, EngagementKind.Bounced, EngagementKind.Received]);
                var campaign = random.Next(4) == 0 ? null : Fuzz.Pick(random, SegmentFuzz.Campaigns);
                var at = now - TimeSpan.FromDays(random.Next(0, 120)) - TimeSpan.FromMinutes(random.Next(1, 1440)) - TimeSpan.FromMilliseconds(137);
                await Audience.Engagement.RecordAsync(contact.Id, kind, campaign, at);
                events.Add(new(kind, campaign, at.ToUnixTimeMilliseconds()));
            }

            var memberships = new Dictionary<string, string>();
            foreach (var (name, id) in lists)
            {
                if (random.Next(2) == 0) continue;
                var status = Fuzz.Pick(random, (SubscriptionStatus[])[SubscriptionStatus.Subscribed, SubscriptionStatus.Unconfirmed, SubscriptionStatus.Unsubscribed]);
                await Audience.Subscriptions.SetAsync(contact.Id, id, status, Operator);
                memberships[name] = SubscriptionStatuses.Name(status);
            }

            people.Add(new((await Audience.Contacts.GetAsync(contact.Id))!, events, memberships));
        }

        return (people, new SegmentFuzz.World(now, lists));
    }

    protected async Task RunAsync(int seed, int iterations, bool compare)
    {
        var random = new Random(seed);
        var (people, world) = await PeopleAsync(random);
        var fields = (await Audience.Fields.ListAsync()).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var lists = world.Lists.Select(l => (l.Value, l.Key)).ToList();
        for (var n = 0; n < iterations; n++)
        {
            var expr = SegmentFuzz.Generate(random, random.Next(4));
            var text = expr.Print(0, random);
            var full = $"({text}) and tag(\"{Group}\")";
            SegmentQuery query;
            try
            {
                query = SegmentCompiler.Compile(full, Db.Kind, fields, lists, world.Now);
            }
            catch (SegmentSyntaxException e)
            {
                Assert.Fail($"{Fuzz.Show(text)} is valid but was refused: {e.Problem} at {e.Position}");
                return;
            }

            IReadOnlyList<Contact> listed;
            long count;
            try
            {
                listed = await Audience.Contacts.ListAsync(0, 1000, query);
                count = await Audience.Segments.CountAsync(query);
            }
            catch (Exception e)
            {
                Assert.Fail($"{Fuzz.Show(text)} failed on the database: {e.GetType().Name}: {e.Message}\n{query.Where}");
                return;
            }

            Assert.True(count == listed.Count, $"{Fuzz.Show(text)}: counted {count}, listed {listed.Count}\n{query.CountSql}");
            if (!compare) continue;
            var expected = people.Where(p => expr.Eval(p, world)).Select(p => p.Contact.Email).Order(StringComparer.Ordinal).ToList();
            var actual = listed.Select(c => c.Email).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{Fuzz.Show(text)}: the database selected [{string.Join(", ", actual.Except(expected))}] more and [{string.Join(", ", expected.Except(actual))}] fewer than the documented meaning\n{query.Where}");
        }
    }
}

public sealed class SegmentDatabaseFuzzOnSqlite(SqliteAudience backend) : SegmentDatabaseFuzzTests(backend), IClassFixture<SqliteAudience>
{
    [Fact]
    public Task Random_expressions_select_what_their_documented_meaning_selects() => RunAsync(7101, Fuzz.Iterations(400), compare: true);
}

public sealed class SegmentDatabaseFuzzOnPostgres(PostgresAudience backend) : SegmentDatabaseFuzzTests(backend), IClassFixture<PostgresAudience>
{
    // PostgreSQL orders text by the database's collation, so < and > on text may differ from the code point order the
    // evaluation in memory uses; here each expression must run and count what it lists.
    [Fact]
    public Task Random_expressions_run_and_count_what_they_list() => RunAsync(7102, Fuzz.Iterations(150), compare: false);
}
