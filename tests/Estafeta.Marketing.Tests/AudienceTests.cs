using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>Base of the database tests; each abstract class runs once per backend (<c>...OnSqlite</c>, <c>...OnPostgres</c>).</summary>
public abstract class AudienceTests(AudienceBackend backend)
{
    protected Database Db => backend.Db;

    protected AudienceBackend Backend => backend;

    protected AudienceService Audience { get; } = new(backend.Db, null, () => new Uri("https://correo.ejemplo.test/"), "mx.ejemplo.test", mail: null);

    /// <summary>An address no other test uses.</summary>
    protected static string Email(string local = "persona") => $"{local}.{Guid.NewGuid().ToString("N")[..10]}@ejemplo.es";

    protected static string Name(string prefix = "lista") => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    protected async Task<Contact> NewContactAsync(string? email = null, string? name = null) =>
        (await Audience.Contacts.UpsertAsync(new ContactInput(email ?? Email()) { Name = name })).Contact;

    protected static ConsentEvidence Operator => new(ConsentSourceKind.Operator, "tests");
}
