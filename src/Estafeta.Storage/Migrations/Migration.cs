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

    public string For(DatabaseKind kind) => kind == DatabaseKind.PostgreSql && PostgreSql is { } postgres ? postgres : Sql;
}
