namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the audience: contacts, lists, consent, suppression, segments (300–399).</summary>
    private static readonly IReadOnlyList<Migration> AudienceMigrations =
    [
    ];
}
