namespace Estafeta.Storage;

/// <summary>
/// One numbered schema change. <see cref="Sql"/> is written once for both backends; <c>{{id}}</c> stands for the
/// auto-numbered primary key column (see <see cref="SqlDialect.IdentityPrimaryKey"/>).
/// </summary>
internal sealed record Migration(int Version, string Name, string Sql);
