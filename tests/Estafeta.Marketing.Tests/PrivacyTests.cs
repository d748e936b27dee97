using System.Text;
using Dapper;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>GDPR: the export of everything held about an address, and erasure that leaves only a hash (and anonymous totals).</summary>
public abstract class PrivacyTests(AudienceBackend backend) : AudienceTests(backend), IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("estafeta-privacy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A contact with a typed field, tags, two subscriptions (three consent records), events, and a row in an import report.</summary>
    private async Task<(Contact Contact, string Campaign, string Field)> RichContactAsync(string email)
    {
        var field = "puntos_" + Suffix();
        await Audience.Fields.DefineAsync(field, FieldType.Number);
        var (contact, _) = await Audience.Contacts.UpsertAsync(new ContactInput(email)
        {
            Name = "Lucía Pérez " + email[6..16], Language = "es", Fields = new Dictionary<string, string?> { [field] = "42", ["ciudad"] = "Cádiz" }, Tags = ["cliente"],
        });
        var a = await Audience.Lists.AddAsync(Name(), consentText: "Quiero las ofertas.");
        var b = await Audience.Lists.AddAsync(Name());
        var form = new ConsentEvidence(ConsentSourceKind.Form, "formulario web", "192.0.2.7", "Firefox/140");
        await Audience.Subscriptions.SetAsync(contact.Id, a.Id, SubscriptionStatus.Subscribed, form);
        await Audience.Subscriptions.SetAsync(contact.Id, b.Id, SubscriptionStatus.Subscribed, Operator);
        await Audience.Subscriptions.SetAsync(contact.Id, b.Id, SubscriptionStatus.Unsubscribed, new ConsentEvidence(ConsentSourceKind.Link, "enlace de baja"));
        var campaign = "navidad-" + Suffix();
        var day = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        await Audience.Engagement.RecordAsync(contact.Id, EngagementKind.Received, campaign, day);
        await Audience.Engagement.RecordAsync(contact.Id, EngagementKind.Opened, campaign, day.AddHours(2));
        await Audience.Engagement.RecordAsync(contact.Id, EngagementKind.Opened, campaign, day.AddDays(1));
        await Audience.Engagement.RecordAsync(contact.Id, EngagementKind.Clicked, campaign, day.AddDays(1));

        // A later import of the same address with a value of the wrong type leaves a rejected row naming it.
        var path = Path.Combine(folder, $"{Suffix()}.csv");
        await File.WriteAllTextAsync(path, $"email,name,{field}\n{email.ToUpperInvariant()},Lucía,muchos\n", new UTF8Encoding(false));
        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria"));
        Assert.Equal(1, report.Rejected);

        // The MTA's log of mail sent to the address: one delivery and one later bounce that quotes it.
        var outbound = new OutboundEventStore(Db);
        await outbound.RecordAsync(new OutboundEvent(day, OutboundEventKind.Delivered, email, "boletin@tienda.test", "ejemplo.es", "smtp", MessageId: "<a1@tienda.test>", Status: "2.0.0"));
        await outbound.RecordAsync(new OutboundEvent(day.AddDays(2), OutboundEventKind.Bounced, email, "boletin@tienda.test", "ejemplo.es", "dsn", "hard",
            Status: "5.1.1", Detail: $"550 5.1.1 <{email}>: user unknown"));
        return (contact, campaign, field);
    }

    private async Task<long> SentToEjemploAsync() =>
        (await new OutboundEventStore(Db).CountByDestinationAsync(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero))).Where(c => c.Destination == "ejemplo.es").Sum(c => c.Count);

    [Fact]
    public async Task The_id_of_an_erased_contact_or_a_deleted_list_is_never_given_again_so_links_mailed_to_them_reach_no_one_else()
    {
        // The newest contact and list: SQLite numbered the next row one past the largest id left, theirs.
        var erased = await NewContactAsync();
        await Audience.Privacy.EraseAsync(erased.Id);
        var list = await Audience.Lists.AddAsync(Name());
        await Audience.Lists.RemoveAsync(list.Id);

        var next = await NewContactAsync();
        var nextList = await Audience.Lists.AddAsync(Name());

        Assert.True(next.Id > erased.Id, $"{next.Id} > {erased.Id}");
        Assert.True(nextList.Id > list.Id, $"{nextList.Id} > {list.Id}");

        // An import numbers its new contacts past it too.
        await Audience.Privacy.EraseAsync(next.Id);
        var dir = Directory.CreateTempSubdirectory("estafeta-ids-");
        try
        {
            var file = Path.Combine(dir.FullName, "nuevos.csv");
            await File.WriteAllTextAsync(file, $"email\n{Email("importada")}\n");
            await Audience.Importer(checkDns: false).ImportAsync(file, new ImportOptions("tienda"));
            var imported = (await Audience.Contacts.ListAsync(0, 10, await Audience.Segments.ResolveAsync("email contains \"importada.\""))).Max(c => c.Id);
            Assert.True(imported > next.Id, $"{imported} > {next.Id}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_export_holds_everything_stored_about_the_address()
    {
        var email = Email("lucia");
        var (contact, campaign, field) = await RichContactAsync(email);

        var export = await Audience.Privacy.ExportAsync(email.ToUpperInvariant());

        Assert.Equal(email, export.Email);
        Assert.Equal(contact.Id, export.Contact!.Id);
        Assert.Equal("Lucía Pérez " + email[6..16], export.Contact.Name);
        Assert.Equal(["cliente"], export.Contact.Tags);
        Assert.Contains(export.CustomFields, f => f.Name == field && f.Type == "number" && Equals(f.Value, 42.0));
        Assert.Contains(export.CustomFields, f => f.Name == "ciudad" && f.Type == "text" && Equals(f.Value, "Cádiz"));
        Assert.Equal(2, export.Subscriptions.Count);
        Assert.Contains(export.Subscriptions, s => s.Status == SubscriptionStatus.Unsubscribed);
        Assert.Equal(3, export.ConsentRecords.Count);
        var formRecord = export.ConsentRecords[0];
        Assert.Equal(("192.0.2.7", "Firefox/140", "Quiero las ofertas."), (formRecord.Evidence.Ip, formRecord.Evidence.UserAgent, formRecord.Evidence.ConsentText));
        Assert.Equal(4, export.Events.Count(e => e.Campaign == campaign));
        Assert.NotNull(export.Validation);
        Assert.Null(export.Suppression);
        var row = Assert.Single(export.ImportReports);
        Assert.Equal(("rejected", 2L), (row.Outcome, row.Row));
        Assert.EndsWith(".csv", row.File, StringComparison.Ordinal);
        Assert.Equal([OutboundEventKind.Bounced, OutboundEventKind.Delivered], export.Deliveries.Select(d => d.Kind));
        Assert.Equal(("hard", "5.1.1"), (export.Deliveries[0].BounceClass, export.Deliveries[0].Status));
    }

    [Fact]
    public async Task The_export_of_a_suppressed_non_contact_shows_the_entry_and_an_unknown_address_is_not_found()
    {
        var email = Email("sin-ficha");
        await Audience.Suppression.AddAsync(email, SuppressionReason.Complaint, "ARF de correo.pt", Operator);

        var export = await Audience.Privacy.ExportAsync(email);

        Assert.Null(export.Contact);
        Assert.Equal((SuppressionReason.Complaint, true, "ARF de correo.pt"), (export.Suppression!.Reason, export.Suppression.AddressStored, export.Suppression.Note));
        var unknown = Email("nadie");
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Audience.Privacy.ExportAsync(unknown));
        Assert.Equal($"nothing is stored about {unknown}: no contact, suppression entry, import report row or sent mail", e.Message);
        await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Privacy.ExportAsync("no-es-un-correo"));
    }

    [Fact]
    public async Task Erasure_leaves_no_trace_of_the_address_but_its_hash_and_keeps_the_totals()
    {
        var email = Email("lucia");
        var (contact, campaign, _) = await RichContactAsync(email);
        await Audience.Suppression.AddAsync(email, SuppressionReason.Manual, "llamó por teléfono: Lucía Pérez", Operator);
        var before = await Audience.EngagementTotals.CountAsync(campaign);
        var sent = await SentToEjemploAsync();

        var result = await Audience.Privacy.EraseAsync(email);

        Assert.Equal(contact.Id, result.ContactId);
        Assert.False(result.AlreadyErased);
        Assert.Equal((2L, 3L, 4L, 1L, 2L, 1L, 2L), (result.Subscriptions, result.ConsentRecords, result.Events, result.Tags, result.FieldValues, result.ImportReportRows, result.DeliveryEvents));
        Assert.Equal(sent, await SentToEjemploAsync());
        Assert.Null(await Audience.Contacts.GetAsync(contact.Id));
        Assert.Equal(before, await Audience.EngagementTotals.CountAsync(campaign));
        Assert.Equal(2, (await Audience.EngagementTotals.CountAsync(campaign))[EngagementKind.Opened]);
        Assert.Equal(1, (await Audience.EngagementTotals.CountAsync(campaign, new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero)))[EngagementKind.Opened]);

        await using var connection = await Db.OpenAsync();
        foreach (var table in new[] { "contact_tags", "subscriptions", "consent_records", "engagement_events" })
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE contact_id = @id", new { id = contact.Id }));
        }

        foreach (var table in new[] { "contacts", "contact_tags", "consent_records", "suppressions", "import_rows", "idempotency_keys", "engagement_events", "engagement_erased", "outbound_events" })
        {
            foreach (IDictionary<string, object?> rowValues in await connection.QueryAsync($"SELECT * FROM {table}"))
            {
                Assert.DoesNotContain(rowValues.Values, v => v is string s && (s.Contains(email, StringComparison.OrdinalIgnoreCase) || s.Contains(email[6..16], StringComparison.Ordinal)));
            }
        }

        var entry = Assert.Single(await Audience.Suppression.ListAsync(0, 10_000), e => e.Hash == result.SuppressionHash);
        Assert.Equal((null, SuppressionReason.Erased, null), (entry.Email, entry.Reason, entry.Note));
        var export = await Audience.Privacy.ExportAsync(email);
        Assert.Null(export.Contact);
        Assert.Equal((SuppressionReason.Erased, false), (export.Suppression!.Reason, export.Suppression.AddressStored));
    }

    [Fact]
    public async Task An_erased_address_is_never_added_subscribed_or_imported_again_and_erasing_again_is_harmless()
    {
        var email = Email("nunca");
        var list = await Audience.Lists.AddAsync(Name());

        var first = await Audience.Privacy.EraseAsync(email);
        var again = await Audience.Privacy.EraseAsync(email.ToUpperInvariant());

        Assert.Null(first.ContactId);
        Assert.False(first.AlreadyErased);
        Assert.True(again.AlreadyErased);
        Assert.Equal(first.SuppressionHash, again.SuppressionHash);
        await Assert.ThrowsAsync<ConflictException>(() => Audience.Contacts.UpsertAsync(new ContactInput(email)));
        await Assert.ThrowsAsync<ConflictException>(() => Audience.Suppression.RemoveAsync(email));
        await Audience.Suppression.AddAsync(email, SuppressionReason.Manual, "otra vez", Operator);
        Assert.Equal(SuppressionReason.Erased, await Audience.Suppression.ReasonAsync(email));

        var path = Path.Combine(folder, $"{Suffix()}.csv");
        await File.WriteAllTextAsync(path, $"email,name\n{email},Otra Vez\n", new UTF8Encoding(false));
        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("feria") { ListId = list.Id });
        Assert.Equal((0L, 1L), (report.Inserted, report.Suppressed));
        Assert.Null(Assert.Single(report.Issues).Email);
        Assert.Null(await Audience.Contacts.FindAsync(email));
    }

    [Fact]
    public async Task Erasing_by_contact_id_is_the_same_erasure()
    {
        var contact = await NewContactAsync(name: "Olga");
        await Audience.Engagement.RecordAsync(contact.Id, EngagementKind.Converted, null, DateTimeOffset.UtcNow);

        var result = await Audience.Privacy.EraseAsync(contact.Id);

        Assert.Equal(contact.Id, result.ContactId);
        Assert.Equal(1, result.Events);
        Assert.Equal(SuppressionReason.Erased, await Audience.Suppression.ReasonAsync(contact.Email));
        await Assert.ThrowsAsync<NotFoundException>(() => Audience.Privacy.EraseAsync(contact.Id));
    }
}

public sealed class PrivacyOnSqlite(SqliteAudience backend) : PrivacyTests(backend), IClassFixture<SqliteAudience>;

public sealed class PrivacyOnPostgres(PostgresAudience backend) : PrivacyTests(backend), IClassFixture<PostgresAudience>;
