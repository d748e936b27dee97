namespace Estafeta.Storage;

/// <summary>Which database server holds the index. Message content always lives in the data folder.</summary>
public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
