using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

public abstract class ContactStoreTests(AudienceBackend backend) : AudienceTests(backend)
{
    [Fact]
    public async Task An_address_is_stored_canonically_and_a_second_upsert_updates_the_same_contact()
    {
        var local = "Ana." + Guid.NewGuid().ToString("N")[..8];
        var (first, created) = await Audience.Contacts.UpsertAsync(new ContactInput($"{local}@EJEMPLO.es") { Name = "Ana" });
        var (second, createdAgain) = await Audience.Contacts.UpsertAsync(new ContactInput($"{local.ToLowerInvariant()}@ejemplo.es") { Language = "ES" });

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal($"{local.ToLowerInvariant()}@ejemplo.es", second.Email);
        Assert.Equal("Ana", second.Name);
        Assert.Equal("es", second.Language);
    }

    [Fact]
    public async Task A_tag_in_other_capitals_or_another_unicode_form_is_the_same_tag()
    {
        var email = $"tags.{Guid.NewGuid():N}@ejemplo.es";
        var (contact, _) = await Audience.Contacts.UpsertAsync(new ContactInput(email) { Tags = ["España", "ESPAÑA", "Espan\u0303a"] });
        Assert.Equal(["España"], contact.Tags);

        (contact, _) = await Audience.Contacts.UpsertAsync(new ContactInput(email) { Tags = ["ÉLITE", "españa"] });
        Assert.Equal(["España", "ÉLITE"], contact.Tags.Order(StringComparer.Ordinal));

        (contact, _) = await Audience.Contacts.UpsertAsync(new ContactInput(email) { RemoveTags = ["ESPAN\u0303A", "élite"] });
        Assert.Empty(contact.Tags);
    }

    [Fact]
    public async Task An_address_of_a_domain_this_server_hosts_is_accepted_though_dns_knows_nothing_of_it()
    {
        var local = $"tienda-{Guid.NewGuid().ToString("N")[..6]}.test";
        var idn = $"bücher-{Guid.NewGuid().ToString("N")[..6]}.test";
        await new DomainStore(Db).AddAsync(local);
        await new DomainStore(Db).AddAsync(idn);
        var audience = new AudienceService(Db, new Estafeta.Testing.InMemoryDnsResolver(new Estafeta.Testing.DnsZone()), () => new Uri("https://correo.ejemplo.test/"), "mx.ejemplo.test", mail: null);

        Assert.Equal("valid", (await audience.Contacts.UpsertAsync(new ContactInput($"ana@{local}"))).Contact.Validation!.Verdict);
        Assert.Equal("valid", (await audience.Contacts.UpsertAsync(new ContactInput($"luis@{idn}"))).Contact.Validation!.Verdict);
        await Assert.ThrowsAsync<InvalidInputException>(() => audience.Contacts.UpsertAsync(new ContactInput($"ana@no-{local}")));
    }

    [Fact]
    public async Task Names_tags_and_field_values_have_limits_with_a_clear_error()
    {
        async Task<string> Refused(ContactInput input) => (await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Contacts.UpsertAsync(input))).Message;

        Assert.Contains("at most 200 characters", await Refused(new ContactInput(Email()) { Name = new string('x', 201) }), StringComparison.Ordinal);
        Assert.Contains("control characters", await Refused(new ContactInput(Email()) { Name = "Ana\r\nBcc: todos@ejemplo.es" }), StringComparison.Ordinal);
        Assert.Contains("at most 100 tags", await Refused(new ContactInput(Email()) { Tags = [.. Enumerable.Range(0, 101).Select(i => $"t{i}")] }), StringComparison.Ordinal);
        Assert.Contains("may not hold ; , or |", await Refused(new ContactInput(Email()) { Tags = ["vip; oro"] }), StringComparison.Ordinal);
        Assert.Contains("at most 100 custom fields", await Refused(new ContactInput(Email()) { Fields = Enumerable.Range(0, 101).ToDictionary(i => $"f{i}", i => (string?)"x") }), StringComparison.Ordinal);
        var field = "nota_" + Guid.NewGuid().ToString("N")[..6];
        Assert.Contains("at most 2000 characters", await Refused(new ContactInput(Email()) { Fields = new Dictionary<string, string?> { [field] = new string('x', 2001) } }), StringComparison.Ordinal);

        var kept = (await Audience.Contacts.UpsertAsync(new ContactInput(Email()) { Name = new string('ñ', 200), Tags = [.. Enumerable.Range(0, 100).Select(i => $"t{i}")], Fields = new Dictionary<string, string?> { [field] = new string('x', 2000) } })).Contact;
        Assert.Equal(200, kept.Name!.Length);
        Assert.Equal(100, kept.Tags.Count);
        Assert.Equal(2000, ((string)kept.Fields[field]!).Length);
    }

    [Fact]
    public async Task International_addresses_keep_a_utf8_local_part_and_an_ascii_domain()
    {
        var contact = await NewContactAsync($"josé.{Guid.NewGuid().ToString("N")[..6]}@bücher.es");

        Assert.StartsWith("josé.", contact.Email, StringComparison.Ordinal);
        Assert.EndsWith("@xn--bcher-kva.es", contact.Email, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_custom_fields_are_parsed_stored_and_shown_by_type()
    {
        await Audience.Fields.DefineAsync("edad_" + Guid.NewGuid().ToString("N")[..6], FieldType.Number);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await Audience.Fields.DefineAsync("nacimiento_" + suffix, FieldType.Date);
        await Audience.Fields.DefineAsync("vip_" + suffix, FieldType.Boolean);
        await Audience.Fields.DefineAsync("plan_" + suffix, FieldType.Choice, ["gratis", "pro"]);

        var (contact, _) = await Audience.Contacts.UpsertAsync(new ContactInput(Email())
        {
            Fields = new Dictionary<string, string?>
            {
                ["nacimiento_" + suffix] = "1990-05-01", ["vip_" + suffix] = "sí", ["plan_" + suffix] = "PRO", ["ciudad_" + suffix] = "Sevilla",
            },
            Tags = ["cliente", "cliente", "2025"],
        });

        Assert.Equal("1990-05-01", contact.Fields["nacimiento_" + suffix]);
        Assert.Equal(true, contact.Fields["vip_" + suffix]);
        Assert.Equal("pro", contact.Fields["plan_" + suffix]);
        Assert.Equal("Sevilla", contact.Fields["ciudad_" + suffix]);
        Assert.Equal(["2025", "cliente"], contact.Tags);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_with_the_field_named()
    {
        var field = "puntos_" + Guid.NewGuid().ToString("N")[..6];
        await Audience.Fields.DefineAsync(field, FieldType.Number);

        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Contacts.UpsertAsync(new ContactInput(Email()) { Fields = new Dictionary<string, string?> { [field] = "muchos" } }));
        Assert.Equal($"field {field} expects a number, not 'muchos'", e.Message);
    }

    [Fact]
    public async Task An_invalid_address_is_refused_with_the_reason()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Contacts.UpsertAsync(new ContactInput("ana..garcia@ejemplo.es")));
        Assert.Contains("two dots", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_subscription_change_leaves_a_consent_record_with_its_evidence()
    {
        var contact = await NewContactAsync();
        var list = await Audience.Lists.AddAsync(Name(), consentText: "Quiero las ofertas.");
        var form = new ConsentEvidence(ConsentSourceKind.Form, "formulario web", "192.0.2.7", "Firefox");

        await Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, form);
        await Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, form);
        await Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Unsubscribed, new ConsentEvidence(ConsentSourceKind.Link, "enlace de baja"));

        var history = await Audience.Subscriptions.HistoryAsync(contact.Id);
        Assert.Equal(2, history.Count);
        Assert.Equal(SubscriptionStatus.Subscribed, history[0].Status);
        Assert.Equal("192.0.2.7", history[0].Evidence.Ip);
        Assert.Equal("Firefox", history[0].Evidence.UserAgent);
        Assert.Equal("Quiero las ofertas.", history[0].Evidence.ConsentText);
        Assert.Equal(ConsentSourceKind.Link, history[1].Evidence.Kind);
        Assert.Equal(SubscriptionStatus.Unsubscribed, (await Audience.Subscriptions.GetAsync(contact.Id, list.Id))!.Status);
    }

    [Fact]
    public async Task A_subscription_without_a_text_of_its_own_records_the_default_in_the_contacts_language()
    {
        var list = await Audience.Lists.AddAsync(Name("Boletín"));
        var spanish = (await Audience.Contacts.UpsertAsync(new ContactInput(Email("ana")) { Language = "es" })).Contact;
        var english = (await Audience.Contacts.UpsertAsync(new ContactInput(Email("john")) { Language = "en" })).Contact;
        var own = await Audience.Lists.AddAsync(Name(), consentText: "Quiero las ofertas.");

        await Audience.Subscriptions.SetAsync(spanish.Id, list.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(english.Id, list.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(spanish.Id, own.Id, SubscriptionStatus.Subscribed, Operator);

        // It recorded the list's stored (English) default for everyone, whatever they had read.
        var history = await Audience.Subscriptions.HistoryAsync(spanish.Id);
        Assert.Equal(ListStore.DefaultConsentText(list.Name, "es"), history.Single(h => h.ListId == list.Id).Evidence.ConsentText);
        Assert.StartsWith("Quiero recibir los correos de la lista «", history.Single(h => h.ListId == list.Id).Evidence.ConsentText, StringComparison.Ordinal);
        Assert.Equal("Quiero las ofertas.", history.Single(h => h.ListId == own.Id).Evidence.ConsentText);
        Assert.StartsWith("I want to receive the emails of the list", Assert.Single(await Audience.Subscriptions.HistoryAsync(english.Id)).Evidence.ConsentText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suppressed_address_cannot_be_subscribed()
    {
        var contact = await NewContactAsync();
        var list = await Audience.Lists.AddAsync(Name());
        await Audience.Suppression.AddAsync(contact.Email, SuppressionReason.Manual, "pedido por teléfono", Operator);

        var e = await Assert.ThrowsAsync<ConflictException>(() => Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, Operator));
        Assert.Contains("suppressed (manual)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hard_bounce_marks_every_subscription_bounced()
    {
        var contact = await NewContactAsync();
        var a = await Audience.Lists.AddAsync(Name());
        var b = await Audience.Lists.AddAsync(Name());
        await Audience.Subscriptions.SetAsync(contact.Id, a.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(contact.Id, b.Id, SubscriptionStatus.Subscribed, Operator);

        await Audience.Suppression.AddAsync(contact.Email, SuppressionReason.HardBounce, null, new ConsentEvidence(ConsentSourceKind.System, "DSN 5.1.1"));

        var subs = await Audience.Subscriptions.ForContactAsync(contact.Id);
        Assert.All(subs, s => Assert.Equal(SubscriptionStatus.Bounced, s.Status));
        Assert.Equal(SuppressionReason.HardBounce, await Audience.Suppression.ReasonAsync(contact.Email));
    }

    [Fact]
    public async Task Contacts_are_listed_a_page_at_a_time_in_id_order()
    {
        var made = new List<long>();
        for (var i = 0; i < 5; i++) made.Add((await NewContactAsync()).Id);

        var page = await Audience.Contacts.ListAsync(made[0] - 1, 3);
        var next = await Audience.Contacts.ListAsync(page[^1].Id, 3);

        Assert.Equal(made.Take(3), page.Select(c => c.Id));
        Assert.Equal(made[3], next[0].Id);
    }
}

public sealed class ContactStoreOnSqlite(SqliteAudience backend) : ContactStoreTests(backend), IClassFixture<SqliteAudience>;

public sealed class ContactStoreOnPostgres(PostgresAudience backend) : ContactStoreTests(backend), IClassFixture<PostgresAudience>;
