using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>The cap on custom field definitions; a database of its own (it fills the cap, which other tests would meet).</summary>
public abstract class FieldLimitTests(AudienceBackend backend) : AudienceTests(backend)
{
    [Fact]
    public async Task A_server_holds_at_most_500_custom_fields_and_an_import_that_would_make_more_stops_with_the_fix()
    {
        await using (var connection = await Db.OpenAsync())
        {
            // The first 499 straight into the table (defining them one by one through the store takes a while on PostgreSQL).
            for (var i = 0; i < FieldValues.MaxDefinitions - 1; i++)
                await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO contact_fields (name, type, created_at) VALUES (@name, 'text', 0)", new { name = $"campo_{i}" });
        }

        await Audience.Fields.DefineAsync("ultimo", FieldType.Text);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Fields.DefineAsync("otro", FieldType.Text));
        Assert.Contains("at most 500 custom fields", refused.Message, StringComparison.Ordinal);
        var byApi = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Contacts.UpsertAsync(new ContactInput(Email()) { Fields = new Dictionary<string, string?> { ["nuevo"] = "x" } }));
        Assert.Contains("at most 500 custom fields", byApi.Message, StringComparison.Ordinal);
        // A value for a field that exists is still taken.
        Assert.Equal("x", (await Audience.Contacts.UpsertAsync(new ContactInput(Email()) { Fields = new Dictionary<string, string?> { ["ultimo"] = "x" } })).Contact.Fields["ultimo"]);

        var folder = Directory.CreateTempSubdirectory("estafeta-fields-").FullName;
        try
        {
            var path = Path.Combine(folder, "columnas.csv");
            await File.WriteAllTextAsync(path, $"email,ultimo,columna_nueva\n{Email()},a,b\n");
            var import = await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("prueba")));
            Assert.Contains("--map 'column=skip'", import.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class FieldLimitOnSqlite(SqliteAudience backend) : FieldLimitTests(backend), IClassFixture<SqliteAudience>;

public sealed class FieldLimitOnPostgres(PostgresAudience backend) : FieldLimitTests(backend), IClassFixture<PostgresAudience>;
