using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

public abstract class FieldRemovalTests(AudienceBackend backend) : AudienceTests(backend)
{
    [Fact]
    public async Task A_removed_field_leaves_no_value_on_any_contact_and_other_fields_stay()
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var (pais, nivel) = ($"país_{s}", $"nivel_{s}");
        var ana = (await Audience.Contacts.UpsertAsync(new ContactInput(Email("ana")) { Fields = new Dictionary<string, string?> { [pais] = "ES", [nivel] = "oro" } })).Contact;
        var bea = (await Audience.Contacts.UpsertAsync(new ContactInput(Email("bea")) { Fields = new Dictionary<string, string?> { [pais] = "PT" } })).Contact;
        var eva = await NewContactAsync();

        // Named without its accent and in capitals.
        var removed = await Audience.Fields.RemoveAsync($"PAIS_{s}");

        Assert.Equal((pais, 2L), (removed.Field, removed.Contacts));
        Assert.Empty(removed.Segments);
        Assert.DoesNotContain((await Audience.Fields.ListAsync()), f => f.Name == pais);
        Assert.Equal(new Dictionary<string, object?> { [nivel] = "oro" }, (await Audience.Contacts.GetAsync(ana.Id))!.Fields);
        Assert.Empty((await Audience.Contacts.GetAsync(bea.Id))!.Fields);
        Assert.Empty((await Audience.Contacts.GetAsync(eva.Id))!.Fields);
        var unknown = await Assert.ThrowsAsync<SegmentSyntaxException>(() => Audience.Segments.ResolveAsync($"{pais} = \"ES\""));
        Assert.Contains($"unknown field '{pais}'", unknown.Problem, StringComparison.Ordinal);

        // The name is free again, for a field of another type.
        await Audience.Fields.DefineAsync(pais, FieldType.Number);
        await Assert.ThrowsAsync<NotFoundException>(() => Audience.Fields.RemoveAsync($"nada_{s}"));
    }

    [Fact]
    public async Task A_field_a_saved_segment_uses_is_kept_unless_forced()
    {
        var s = Guid.NewGuid().ToString("N")[..6];
        var field = $"ciudad_{s}";
        await Audience.Fields.DefineAsync(field, FieldType.Text);
        var contact = (await Audience.Contacts.UpsertAsync(new ContactInput(Email()) { Fields = new Dictionary<string, string?> { [field] = "Sevilla" } })).Contact;
        var segment = Name("sevillanos");
        await Audience.Segments.SaveAsync(segment, $"{field} = \"sevilla\"");

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Audience.Fields.RemoveAsync(field));

        Assert.Contains($"the saved segment {segment} uses the field {field}", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Sevilla", (await Audience.Contacts.GetAsync(contact.Id))!.Fields[field]);

        var forced = await Audience.Fields.RemoveAsync(field, force: true);
        Assert.Equal([segment], forced.Segments);
        Assert.Empty((await Audience.Contacts.GetAsync(contact.Id))!.Fields);
    }
}

public sealed class FieldRemovalOnSqlite(SqliteAudience backend) : FieldRemovalTests(backend), IClassFixture<SqliteAudience>;

public sealed class FieldRemovalOnPostgres(PostgresAudience backend) : FieldRemovalTests(backend), IClassFixture<PostgresAudience>;
