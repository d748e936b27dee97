using System.Security.Cryptography;
using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

public sealed class DkimKeyTests(ITestOutputHelper output)
{
    /// <summary>Made with <c>openssl genpkey -algorithm ed25519</c>; the public key is what
    /// <c>openssl pkey -pubout</c> printed.</summary>
    private const string OpenSslEd25519Pem = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIHwHk+hH9Dm67Qy+TmXcAM6G8stKJRJZhKRBbyLeIOET
        -----END PRIVATE KEY-----
        """;
    private const string OpenSslEd25519Public = "F9axEe5H+4TOe2OxLLqLJsCmAOWyBuW9eNCxRJ+ItwA=";

    [Fact]
    public void Rsa_key_round_trips_through_pkcs8_and_pkcs1_pem()
    {
        var key = TestKeys.Rsa;
        Assert.Equal(2048, key.KeySize);
        var pkcs8 = key.ExportPem();
        var pkcs1 = key.ExportPkcs1Pem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pkcs8, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", pkcs1, StringComparison.Ordinal);
        using var fromPkcs8 = DkimPrivateKey.ImportPem(pkcs8);
        using var fromPkcs1 = DkimPrivateKey.Load(Encoding.ASCII.GetBytes(pkcs1));
        Assert.Equal(key.PublicKeyBase64, fromPkcs8.PublicKeyBase64);
        Assert.Equal(key.PublicKeyBase64, fromPkcs1.PublicKeyBase64);
        Assert.Equal(DkimAlgorithm.RsaSha256, fromPkcs1.Algorithm);
    }

    [Fact]
    public void Ed25519_key_loads_from_openssl_pkcs8_pem_raw_seed_and_base64_seed()
    {
        using var fromOpenSsl = (DkimEd25519PrivateKey)DkimPrivateKey.ImportPem(OpenSslEd25519Pem);
        Assert.Equal(OpenSslEd25519Public, fromOpenSsl.PublicKeyBase64);
        var seed = fromOpenSsl.ExportSeed();
        using var fromRaw = DkimPrivateKey.Load(seed);
        using var fromBase64 = DkimPrivateKey.Load(Encoding.ASCII.GetBytes(Convert.ToBase64String(seed) + "\n"));
        Assert.Equal(OpenSslEd25519Public, fromRaw.PublicKeyBase64);
        Assert.Equal(OpenSslEd25519Public, fromBase64.PublicKeyBase64);
        Assert.Equal(OpenSslEd25519Pem.ReplaceLineEndings("\n"), fromOpenSsl.ExportPem().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Ed25519_public_key_matches_rfc8032_test_vector_1()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        using var key = DkimPrivateKey.FromEd25519Seed(seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.PublicKey));
    }

    [Fact]
    public void Generated_ed25519_key_round_trips_through_pem()
    {
        using var key = DkimPrivateKey.GenerateEd25519();
        using var again = DkimPrivateKey.ImportPem(key.ExportPem());
        Assert.Equal(key.PublicKeyBase64, again.PublicKeyBase64);
        Assert.Equal(DkimAlgorithm.Ed25519Sha256, again.Algorithm);
    }

    [Fact]
    public void Saved_key_file_is_private_to_its_owner_and_loads_back()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dkim-{Guid.NewGuid():N}.pem");
        try
        {
            TestKeys.Ed25519.SaveFile(path);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var loaded = DkimPrivateKey.LoadFile(path);
            Assert.Equal(TestKeys.Ed25519.PublicKeyBase64, loaded.PublicKeyBase64);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Dns_txt_values_name_the_key_type_and_split_into_255_octet_strings()
    {
        var rsa = TestKeys.Rsa;
        Assert.Equal("v=DKIM1; k=rsa; p=" + rsa.PublicKeyBase64, rsa.DnsTxtValue);
        Assert.Equal("v=DKIM1; k=ed25519; p=" + TestKeys.Ed25519.PublicKeyBase64, TestKeys.Ed25519.DnsTxtValue);
        Assert.Single(TestKeys.Ed25519.DnsTxtStrings);

        var strings = rsa.DnsTxtStrings;
        output.WriteLine($"RSA-2048 TXT value: {rsa.DnsTxtValue.Length} octets in {strings.Count} strings");
        Assert.Equal(2, strings.Count);
        Assert.All(strings, s => Assert.True(Encoding.UTF8.GetByteCount(s) <= 255));
        Assert.Equal(rsa.DnsTxtValue, string.Concat(strings));

        var zone = DkimDnsRecord.ZoneFileLine("rsa2025", "news.example.com", rsa);
        output.WriteLine(zone);
        Assert.StartsWith("rsa2025._domainkey.news.example.com. 3600 IN TXT ( \"v=DKIM1; k=rsa; p=", zone, StringComparison.Ordinal);
        Assert.EndsWith("\" )", zone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_txt_strings_joined_by_a_resolver_verify()
    {
        var dns = new InMemoryDns()
            .Add(DkimDnsRecord.Name(TestKeys.RsaSelector, TestKeys.Domain), string.Concat(TestKeys.Rsa.DnsTxtStrings))
            .Add(DkimDnsRecord.Name(TestKeys.Ed25519Selector, TestKeys.Domain), string.Concat(TestKeys.Ed25519.DnsTxtStrings));
        var results = await TestKeys.Verifier(dns).VerifyAsync(TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain()));
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public void Short_malformed_or_encrypted_keys_are_refused_with_a_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DkimPrivateKey.GenerateRsa(512));
        using (var small = RSA.Create(512))
            Assert.Contains("1024", Assert.Throws<FormatException>(() => DkimPrivateKey.ImportPem(small.ExportPkcs8PrivateKeyPem())).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DkimPrivateKey.Load("not a key"u8));
        Assert.Throws<FormatException>(() => DkimPrivateKey.ImportPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Throws<FormatException>(() => DkimPrivateKey.ImportPem(ec.ExportPkcs8PrivateKeyPem()));
    }
}
