using System.Security.Cryptography.X509Certificates;
using Estafeta.Net;

namespace Estafeta.Smtp.Tests.Support;

/// <summary>One throwaway self-signed certificate for the whole test run, made the way the server makes its own.</summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Shared = new(Create);

    public static X509Certificate2 Instance => Shared.Value;

    private static X509Certificate2 Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"estafeta-smtp-tests-{Guid.NewGuid():N}");
        try
        {
            return TlsCertificateLoader.LoadOrCreate(directory, null, null, "mx.example.test");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
