using Npgsql;

namespace Estafeta.Storage.Tests;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Url_is_turned_into_a_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("postgres://est%40feta:p%3Ass@db.example.test:6543/mail?sslmode=require&application_name=estafeta"));

        Assert.Equal("db.example.test", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("est@feta", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal("mail", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("estafeta", builder.ApplicationName);
    }

    [Fact]
    public void Postgresql_scheme_and_default_port_are_accepted()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize("postgresql://ana@localhost/estafeta"));

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("ana", builder.Username);
        Assert.Null(builder.Password);
    }

    [Fact]
    public void Npgsql_connection_string_is_accepted_as_it_is()
    {
        var builder = new NpgsqlConnectionStringBuilder(
            PostgresConnectionString.Normalize("Host=127.0.0.1;Port=5432;Username=estafeta;Password=estafeta;Database=postgres"));

        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal("postgres", builder.Database);
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgres://host/db?nonsense_option=1")]
    [InlineData("this is not a connection string")]
    public void Unusable_value_is_reported(string value)
    {
        Assert.Throws<InvalidInputException>(() => PostgresConnectionString.Normalize(value));
    }

    [Fact]
    public async Task Database_with_a_url_is_postgresql_and_without_is_sqlite()
    {
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-storage-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var postgres = Database.Create(dir, "postgres://u:p@127.0.0.1:1/x");
            await using var sqlite = Database.Create(dir, null);

            Assert.Equal(DatabaseKind.PostgreSql, postgres.Kind);
            Assert.Equal(DatabaseKind.Sqlite, sqlite.Kind);
            Assert.Equal(Path.GetFullPath(dir), sqlite.DataDirectory);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
