namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the outbound queue: delivery attempts, recipient states, events (100–199).</summary>
    private static readonly IReadOnlyList<Migration> OutboundMigrations =
    [
    ];
}
