namespace Estafeta.Storage;

/// <summary>
/// One numbered schema change. <see cref="Sql"/> is written once for both backends; <c>{{id}}</c> stands for the
/// auto-numbered primary key column (see <see cref="SqlDialect.IdentityPrimaryKey"/>). A change that needs each
/// backend's own functions (moving data between representations) gives PostgreSQL's text in <see cref="PostgreSql"/>.
/// </summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>The text run on PostgreSQL instead of <see cref="Sql"/>, when the two differ.</summary>
    public string? PostgreSql { get; init; }

    /// <summary>Work done in .NET after <see cref="Sql"/>, in the same transaction: data that SQL cannot compute alike on both
    /// backends (Unicode case folding, say).</summary>
    public Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, CancellationToken, Task>? Then { get; init; }

    public string For(DatabaseKind kind) => kind == DatabaseKind.PostgreSql && PostgreSql is { } postgres ? postgres : Sql;
}
