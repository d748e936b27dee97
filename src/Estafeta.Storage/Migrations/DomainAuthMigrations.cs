namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the sending domains: DKIM keys, DNS checks, DMARC reports (200–299).</summary>
    private static readonly IReadOnlyList<Migration> DomainAuthMigrations =
    [
    ];
}
