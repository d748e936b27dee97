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
    [InlineData("postgresql://u:p@127.0.0.1:5432/db")]
    [InlineData("postgresql://u:p@localhost/db")]
    [InlineData("postgresql://u:p@[::1]:5432/db")]
    [InlineData("Host=127.0.0.1;Port=5432;Username=u;Password=p")]
    [InlineData("Host=127.0.0.2,localhost:5433;Username=u")]
    [InlineData("Host=/var/run/postgresql;Username=u")]
    public void Local_server_without_tls_settings_is_tried_in_plaintext_first(string value)
    {
        Assert.Equal(SslMode.Allow, new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(value)).SslMode);
    }

    [Theory]
    [InlineData("postgresql://u:p@db.example.test/db")]
    [InlineData("postgresql://u:p@192.0.2.7/db")]
    [InlineData("Host=127.0.0.1,db.example.test;Username=u")]
    [InlineData("Host=localhost.example.test;Username=u")]
    public void Remote_server_keeps_the_default_of_trying_tls_first(string value)
    {
        Assert.Equal(SslMode.Prefer, new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(value)).SslMode);
    }

    [Theory]
    [InlineData("postgresql://u:p@127.0.0.1/db?sslmode=prefer", SslMode.Prefer)]
    [InlineData("postgresql://u:p@127.0.0.1/db?sslmode=require", SslMode.Require)]
    [InlineData("postgresql://u:p@localhost/db?sslmode=verify-full", SslMode.VerifyFull)]
    [InlineData("Host=127.0.0.1;SSL Mode=Require;Username=u", SslMode.Require)]
    [InlineData("Host=127.0.0.1;sslmode=prefer;Username=u", SslMode.Prefer)]
    [InlineData("Host=127.0.0.1;Root Certificate=/etc/ssl/certs/ca-certificates.crt;Username=u", SslMode.Prefer)]
    [InlineData("Host=127.0.0.1;SSL Certificate=/tmp/client.crt;Username=u", SslMode.Prefer)]
    public void Tls_setting_given_for_a_local_server_is_kept(string value, SslMode expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionString.Normalize(value)).SslMode);
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgres://host/db?nonsense_option=1")]
    [InlineData("this is not a connection string")]
    public void Unusable_value_is_reported(string value)
    {
        Assert.Throws<InvalidInputException>(() => PostgresConnectionString.Normalize(value));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(";SSL Mode=Prefer", true)]
    [InlineData(";SSL Mode=Require", true)]
    public async Task Local_server_is_reached_in_plaintext_unless_tls_is_asked_for(string tls, bool encrypted)
    {
        // The test server (scripts/test-postgres.sh) has TLS on with a self-signed certificate and takes plaintext too.
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-storage-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = Database.Create(dir, ServerWithoutTlsSettings() + tls);
            await using var connection = await db.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
            Assert.Equal(encrypted, (bool)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("VerifyCA")]
    [InlineData("VerifyFull")]
    public async Task Verifying_mode_still_refuses_a_certificate_the_given_authority_did_not_sign(string mode)
    {
        // The server's certificate is checked against a root of our own that did not sign it. (Not against the
        // system's trust store: Debian's ssl-cert package puts the self-signed certificate the test server uses
        // into /etc/ssl/certs, where .NET takes every file as a trusted root.)
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=Estafeta test root", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var rootFile = Path.Combine(dir, "root.crt");
            await File.WriteAllTextAsync(rootFile, root.ExportCertificatePem());

            await using var db = Database.Create(dir, ServerWithoutTlsSettings() + ";SSL Mode=" + mode + ";Root Certificate=" + rootFile);
            var e = await Assert.ThrowsAnyAsync<Exception>(async () => await (await db.OpenAsync()).DisposeAsync());
            Assert.Contains("certificate", e.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string ServerWithoutTlsSettings()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresBackend.AdminConnectionString);
        Assert.True(PostgresConnectionString.IsLocal(builder.Host), $"the test server {builder.Host} is not on this machine");
        builder.Remove("SSL Mode");
        return builder.ConnectionString;
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
