using System.Security.Cryptography.X509Certificates;
using Estafeta.Net;

namespace Estafeta.Imap.Tests.Support;

/// <summary>A throwaway self-signed certificate for localhost, made once per test run in a temporary folder.</summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Certificate = new(Create);

    public static X509Certificate2 Get() => Certificate.Value;

    private static X509Certificate2 Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-imap-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            return TlsCertificateLoader.LoadOrCreate(dir, null, null, "localhost");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
