using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>The segment language end to end: each expression compiled and run on the database must select exactly the listed people.</summary>
public abstract class SegmentCompilerTests(AudienceBackend backend) : AudienceTests(backend)
{
    private const string Group = "segment-people";

    public static TheoryData<string, string> Selections => new()
    {
        { "country = \"ES\" and tag(\"cliente\") and opened(within: 30d) and not clicked(campaign: \"navidad-2026\")", "bea" },
        { "country = \"es\"", "ana bea eva" },
        { "country != \"ES\"", "carlos dani" },
        { "country in (\"PT\", \"FR\")", "carlos" },
        { "country not in (\"ES\")", "carlos dani" },
        { "exists(country)", "ana bea carlos eva" },
        { "not exists(country)", "dani" },
        { "age >= 34", "ana carlos" },
        { "age > 20 and age < 50", "ana" },
        { "vip", "ana" },
        { "vip = false", "carlos" },
        { "birthday < 1995-01-01", "ana" },
        { "birthday = 1990-05-01", "ana" },
        { "opened(within: 30d) >= 3", "bea" },
        { "opened(since: today() - 7d)", "bea" },
        { "opened(before: now() - 30d)", "carlos" },
        { "opened(campaign: \"navidad-2026\")", "ana" },
        { "opened() = 0", "dani eva" },
        { "opened() < 3", "ana carlos dani eva" },
        { "opened() = 1", "ana carlos" },
        { "opened(within: 30d) != 1", "bea carlos dani eva" },
        { "not opened(within: 30d) >= 3", "ana carlos dani eva" },
        { "clicked() >= 1 and tag(\"cliente\")", "ana" },
        // Addresses and domains compared as stored: IDN domains as A-labels, in either form.
        { "email = \"Carlos.S@Correo.PT\"", "carlos" },
        { "domain = \"correo.pt\"", "carlos" },
        { "email = \"eva.s@ejemplo.es\" or domain in (\"españa.test\", \"correo.pt\")", "carlos eva" },
        // Text beyond ASCII in any capitals (SQLite's lower() folds ASCII only), and in either Unicode form.
        { "ciudad = \"ávila\"", "ana bea" },
        { "ciudad = \"A\u0301VILA\"", "ana bea" },
        { "ciudad contains \"VIL\"", "ana bea carlos" },
        { "ciudad contains \"ávi\"", "ana bea" },
        { "ciudad in (\"ÁVILA\", \"Segovia\")", "ana bea" },
        { "not ciudad = \"ÁVILA\"", "carlos dani eva" },
        { "name = \"ANA\"", "ana" },
        // Tags in any capitals, beyond ASCII too (SQLite's lower() folds ASCII only).
        { "tag(\"élite-es\")", "ana" },
        { "tag(\"ÉLITE-ES\") or tag(\"CLIENTE\")", "ana bea eva" },
        { "list(\"segment-news\")", "eva" },
        { "list(\"segment-news\", status: \"unconfirmed\")", "ana" },
        // A list's name in other capitals or without its accents finds it when no other list is named alike.
        { "list(\"SEGMENT-NEWS\")", "eva" },
        { "list(\"segment-otro-boletín\")", "bea" },
        { "list(\"Segment Otro Boletin\")", "bea" },
        { "name contains \"AR\"", "carlos" },
        { "language = \"en\" or language = \"es\" and country = \"PT\"", "bea carlos" },
        { "(language = \"en\" or language = \"es\") and not country = \"PT\"", "ana bea" },
        { "created >= today() - 1d and created <= now() + 1h", "ana bea carlos dani eva" },
        { "email contains \"ana.\"", "ana" },
        { "clicked() or converted()", "ana" },
        { "opened(within: 30d) or list(\"segment-news\")", "ana bea eva" },
        { "not (opened() or clicked())", "dani eva" },
        { "not opened(within: 30d) and not clicked(within: 30d)", "carlos dani eva" },
        { "not (tag(\"cliente\") and opened())", "carlos dani eva" },
        { "opened(within: 30d) >= 3 or country = \"PT\"", "bea carlos" },
        { "(opened() and country = \"PT\") or list(\"segment-news\", status: \"unconfirmed\")", "ana carlos" },
        { "opened() >= 3 and list(\"segment-other\")", "bea" },
        { "opened() >= 1 and opened() < 3", "ana carlos" },
        { "not opened() < 3", "bea" },
        { "not opened() or country = \"PT\"", "carlos dani eva" },
        { "opened() < 3 and not list(\"segment-news\", status: \"unconfirmed\") and not tag(\"cliente\")", "carlos dani" },
        { "list(\"segment-news\") or not opened() or clicked(campaign: \"navidad-2026\")", "ana dani eva" },
        { "list(\"segment-other\") and not vip", "bea" },
        { "not (vip or opened(before: now() - 30d)) and not language = \"en\"", "dani eva" },
        { "opened(within: 30d) = 3 and opened(within: 30d) and not clicked()", "bea" },
        { "tag(\"cliente\") and country = \"ES\" and opened(since: today() - 7d)", "bea" },
        { "list(\"segment-other\") and opened(within: 30d) >= 3 and not vip", "bea" },
        { "country = \"PT\" or (tag(\"cliente\") and opened(within: 30d) and not clicked())", "bea carlos" },
        { "not clicked() and language = \"en\" and opened(within: 30d) and tag(\"cliente\")", "bea" },
        { "opened() and tag(\"cliente\") and clicked(within: 30d)", "ana" },
    };

    public static TheoryData<string, int, string> Mistakes => new()
    {
        { "country = ", 10, "expected a value" },
        { "country = \"ES\" and", 18, "expected a field" },
        { "pais = \"ES\"", 0, "unknown field 'pais'" },
        { "age = \"x\"", 6, "age is a number" },
        { "opened(within: 30)", 15, "expected a duration" },
        { "tag(cliente)", 4, "expected a tag in quotes" },
        { "country = \"ES\" )", 15, "unexpected ')'" },
        { "\"sin cerrar", 0, "no closing quote" },
        { "vip = 1", 6, "vip is true/false" },
        { "opened(within: 3x)", 16, "not a duration unit" },
        { "opened(campaign: \"a\", campaign: \"b\")", 22, "given twice" },
        // A list that does not exist is a mistake, not an empty set: under not it would select everyone.
        { "list(\"segment-newz\")", 0, "there is no list named \"segment-newz\"; the lists are " },
        { "vip or not list(\"segment-newz\", status: \"bounced\")", 11, "there is no list named \"segment-newz\"" },
        // Limits: a tree deep enough to exhaust the stack (thousands of "or", or of parentheses) ended the whole server.
        { new string('(', 40) + "vip" + new string(')', 40), 32, "nested more than 32 deep" },
        { string.Concat(Enumerable.Repeat("not ", 40)) + "vip", 128, "nested more than 32 deep" },
        { string.Join(" or ", Enumerable.Range(0, 20_000).Select(i => "vip")).Substring(0, 3998), 700, "more than 100 conditions" },
        { string.Join(" or ", Enumerable.Range(0, 20_000).Select(i => "vip")), 4000, "longer than 4000 characters" },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public async Task An_expression_selects_exactly_the_contacts_it_describes(string expression, string expected)
    {
        var people = await EnsurePeopleAsync();
        var query = await SegmentCompiler.CompileAsync(Db, $"({expression}) and tag(\"{Group}\")");
        var selected = await Audience.Contacts.ListAsync(0, 100, query);

        var names = selected.Select(c => people.First(p => p.Value == c.Id).Key).Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(' ', names));
        Assert.Equal(selected.Count, await Audience.Segments.CountAsync(query));
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_reported_at_its_position(string expression, int position, string problem)
    {
        await EnsurePeopleAsync();
        var e = await Assert.ThrowsAsync<SegmentSyntaxException>(() => SegmentCompiler.CompileAsync(Db, expression));

        Assert.Equal(position, e.Position);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.Contains("^", e.Pointer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_international_address_or_domain_is_found_in_the_form_it_was_written_in()
    {
        var tag = Name("idn");
        var contact = (await Audience.Contacts.UpsertAsync(new ContactInput($"Ñandú.{tag}@españa.test") { Tags = [tag] })).Contact;
        Assert.Equal($"ñandú.{tag}@xn--espaa-rta.test", contact.Email);

        foreach (var expression in (string[])[$"email = \"ÑANDÚ.{tag}@ESPAÑA.test\"", "domain = \"españa.test\"", "domain = \"xn--espaa-rta.test\"", "domain in (\"x.test\", \"España.TEST\")"])
            Assert.Equal(1, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and {expression}")));
        Assert.Equal(0, await Audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(Db, $"tag(\"{tag}\") and domain != \"españa.test\"")));
    }

    [Fact]
    public async Task A_campaign_no_event_names_is_a_warning_not_an_error()
    {
        await EnsurePeopleAsync();

        var mistyped = await SegmentCompiler.CompileAsync(Db, "not clicked(campaign: \"navidd-2026\") and opened(campaign: \"navidad-2026\")");
        var known = await SegmentCompiler.CompileAsync(Db, "opened(campaign: \"navidad-2026\")");

        Assert.Equal(["no engagement event names the campaign \"navidd-2026\" yet: check its name (a campaign not sent yet has none)"], mistyped.Warnings);
        Assert.Empty(known.Warnings);
        Assert.Empty((await SegmentCompiler.CompileAsync(Db, "opened(within: 30d)")).Warnings);
    }

    [Fact]
    public async Task Every_literal_becomes_a_parameter_and_never_part_of_the_sql()
    {
        await EnsurePeopleAsync();
        var query = await SegmentCompiler.CompileAsync(Db, "name = \"x'); DROP TABLE contacts; --\" or tag(\"'\") or opened(campaign: \"\\\"\") >= 2");

        Assert.DoesNotContain("DROP", query.Where, StringComparison.Ordinal);
        Assert.DoesNotContain("'", query.Where.Replace("'\\'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, await Audience.Segments.CountAsync(query));
        Assert.NotNull(await Audience.Contacts.GetAsync((await EnsurePeopleAsync())["ana"]));
    }

    [Fact]
    public async Task On_sqlite_an_and_tests_sets_of_events_in_a_window_first_and_the_contacts_own_row_after_the_sets()
    {
        await EnsurePeopleAsync();
        var query = await SegmentCompiler.CompileAsync(Db, "country = \"ES\" and not clicked() and tag(\"cliente\") and opened(within: 30d)");
        int At(string part) => query.Where.IndexOf(part, StringComparison.Ordinal);

        // SQLite drives the query from the first set; PostgreSQL plans the sets itself and gets them as written.
        string[] expected = Db.Kind == DatabaseKind.Sqlite
            ? ["c.id IN (SELECT e", "c.id IN (SELECT t", "json_extract", "NOT EXISTS"]
            : ["->>", "NOT EXISTS", "c.id IN (SELECT t", "c.id IN (SELECT e"];
        Assert.All(expected, part => Assert.True(At(part) >= 0, part));
        Assert.Equal(expected, expected.OrderBy(At));
    }

    [Fact]
    public async Task A_saved_segment_is_evaluated_each_time_it_is_used()
    {
        var people = await EnsurePeopleAsync();
        var name = Name("segmento");
        await Audience.Segments.SaveAsync(name, $"tag(\"{Group}\") and tag(\"nuevo-{name}\")");
        Assert.Equal(0, await Audience.Segments.CountAsync(await Audience.Segments.ResolveAsync(name)));

        await Audience.Contacts.UpsertAsync(new ContactInput((await Audience.Contacts.GetAsync(people["dani"]))!.Email) { Tags = [$"nuevo-{name}"] });

        Assert.Equal(1, await Audience.Segments.CountAsync(await Audience.Segments.ResolveAsync(name)));
    }

    /// <summary>Five people with fields, tags, list memberships and engagement, made once per database.</summary>
    private async Task<Dictionary<string, long>> EnsurePeopleAsync()
    {
        var existing = await Audience.Contacts.ListAsync(0, 500, await SegmentCompiler.CompileAsync(Db, $"tag(\"{Group}\")"));
        if (existing.Count == 5)
        {
            return existing.ToDictionary(c => c.Email.Split('.')[0], c => c.Id);
        }

        await Audience.Fields.DefineAsync("country", FieldType.Text);
        await Audience.Fields.DefineAsync("age", FieldType.Number);
        await Audience.Fields.DefineAsync("vip", FieldType.Boolean);
        await Audience.Fields.DefineAsync("birthday", FieldType.Date);
        await Audience.Fields.DefineAsync("ciudad", FieldType.Text);
        var news = await Audience.Lists.AddAsync("segment-news");
        var other = await Audience.Lists.AddAsync("segment-other");
        var otro = await Audience.Lists.AddAsync("segment-otro-boletín");
        var now = DateTimeOffset.UtcNow;
        async Task<long> Person(string name, string email, string? display, string? language, Dictionary<string, string?> fields, params string[] tags) =>
            (await Audience.Contacts.UpsertAsync(new ContactInput(email) { Name = display, Language = language, Fields = fields, Tags = [Group, .. tags] })).Contact.Id;

        var ana = await Person("ana", "ana.s@ejemplo.es", "Ana", "es", new() { ["country"] = "ES", ["age"] = "34", ["vip"] = "true", ["birthday"] = "1990-05-01", ["ciudad"] = "A\u0301vila" }, "cliente", "Élite-ES");
        var bea = await Person("bea", "bea.s@ejemplo.es", "Bea", "en", new() { ["country"] = "ES", ["age"] = "20", ["birthday"] = "2001-02-03", ["ciudad"] = "ÁVILA" }, "cliente");
        var carlos = await Person("carlos", "carlos.s@correo.pt", "Carlos", "es", new() { ["country"] = "PT", ["age"] = "50", ["vip"] = "false", ["ciudad"] = "avila" });
        var dani = await Person("dani", "dani.s@ejemplo.es", null, null, new());
        var eva = await Person("eva", "eva.s@ejemplo.es", "Eva", null, new() { ["country"] = "ES" }, "cliente");

        await Audience.Engagement.RecordAsync(ana, EngagementKind.Opened, "navidad-2026", now.AddDays(-10));
        await Audience.Engagement.RecordAsync(ana, EngagementKind.Clicked, "navidad-2026", now.AddDays(-10));
        for (var i = 0; i < 3; i++) await Audience.Engagement.RecordAsync(bea, EngagementKind.Opened, "rebajas", now.AddDays(-5));
        await Audience.Engagement.RecordAsync(carlos, EngagementKind.Opened, "verano", now.AddDays(-40));
        await Audience.Subscriptions.SetAsync(eva, news.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(ana, news.Id, SubscriptionStatus.Unconfirmed, Operator);
        await Audience.Subscriptions.SetAsync(bea, other.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(bea, otro.Id, SubscriptionStatus.Subscribed, Operator);
        return new() { ["ana"] = ana, ["bea"] = bea, ["carlos"] = carlos, ["dani"] = dani, ["eva"] = eva };
    }
}

public sealed class SegmentCompilerOnSqlite(SqliteAudience backend) : SegmentCompilerTests(backend), IClassFixture<SqliteAudience>;

public sealed class SegmentCompilerOnPostgres(PostgresAudience backend) : SegmentCompilerTests(backend), IClassFixture<PostgresAudience>;
