using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Net;

/// <summary>TLS certificates for the listeners: PEM files given by the operator, or a self-signed
/// certificate made once at first start and kept in the data folder.</summary>
public static class TlsCertificateLoader
{
    public static X509Certificate2 LoadOrCreate(string dataDirectory, string? certPath, string? keyPath, string hostName)
    {
        if (certPath is not null || keyPath is not null)
        {
            if (certPath is null || keyPath is null)
                throw new InvalidOperationException("Give both --tls-cert and --tls-key (PEM files), or neither to use a self-signed certificate.");
            return Load(certPath, keyPath);
        }
        var dir = Path.Combine(dataDirectory, "tls");
        var cert = Path.Combine(dir, "selfsigned.crt");
        var key = Path.Combine(dir, "selfsigned.key");
        if (File.Exists(cert) && File.Exists(key)) return Load(cert, key);
        Directory.CreateDirectory(dir);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(hostName);
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        WritePrivate(key, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(cert, created.ExportCertificatePem());
        return Load(cert, key);
    }

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }

    private static X509Certificate2 Load(string certPath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Re-import so that SslStream on Linux gets a certificate with a usable private key.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot load the TLS certificate {certPath} with key {keyPath}: {e.Message}. Give PEM files with --tls-cert and --tls-key.", e);
        }
    }
}
