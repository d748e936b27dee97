using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Net.Tests;

/// <summary>The server certificate of the tests over real TLS: self-signed for localhost by the product's own
/// loader, made once per test run.</summary>
internal static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-net-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            return TlsCertificateLoader.LoadOrCreate(dir, null, null, "localhost");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    });

    public static X509Certificate2 Localhost => Certificate.Value;
}
