using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A DKIM signing key: RSA (rsa-sha256) or Ed25519 (ed25519-sha256). Instances are safe
/// to share between threads.</summary>
public abstract class DkimPrivateKey : IDisposable
{
    internal const string RsaOid = "1.2.840.113549.1.1.1";
    internal const string Ed25519Oid = "1.3.101.112";

    private protected DkimPrivateKey() { }

    public abstract DkimAlgorithm Algorithm { get; }

    /// <summary>k= of the key record: "rsa" or "ed25519".</summary>
    public string KeyType => Algorithm.KeyType();

    /// <summary>p= of the key record: base64 SubjectPublicKeyInfo for RSA (RFC 6376), the raw
    /// 32-byte public key for Ed25519 (RFC 8463).</summary>
    public abstract string PublicKeyBase64 { get; }

    /// <summary>The TXT value to publish, e.g. <c>v=DKIM1; k=rsa; p=MIIBIjAN...</c>.</summary>
    public string DnsTxtValue => $"v=DKIM1; k={KeyType}; p={PublicKeyBase64}";

    /// <summary><see cref="DnsTxtValue"/> cut into character-strings of at most 255 octets.</summary>
    public IReadOnlyList<string> DnsTxtStrings => DkimDnsRecord.SplitTxt(DnsTxtValue);

    /// <summary>The key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").</summary>
    public abstract string ExportPem();

    /// <summary>Signs a SHA-256 digest of canonicalized header fields.</summary>
    internal abstract byte[] SignDigest(ReadOnlySpan<byte> sha256Digest);

    public abstract void Dispose();

    /// <summary>A new RSA key; DKIM wants at least 1024 bits (RFC 8301) and 2048 is the norm.</summary>
    public static DkimRsaPrivateKey GenerateRsa(int bits = 2048)
    {
        if (bits < 1024) throw new ArgumentOutOfRangeException(nameof(bits), bits, "RSA DKIM keys must have at least 1024 bits (RFC 8301).");
        return new DkimRsaPrivateKey(RSA.Create(bits));
    }

    public static DkimEd25519PrivateKey GenerateEd25519() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>An Ed25519 key from its 32-byte private seed (what RFC 8463 calls the private key).</summary>
    public static DkimEd25519PrivateKey FromEd25519Seed(ReadOnlySpan<byte> seed) => new(seed.ToArray());

    /// <summary>Reads PEM: "PRIVATE KEY" (PKCS#8, RSA or Ed25519) or "RSA PRIVATE KEY" (PKCS#1).</summary>
    public static DkimPrivateKey ImportPem(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields)) throw new FormatException("No PEM block found in the DKIM key.");
        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        return label switch
        {
            "PRIVATE KEY" => ImportPkcs8(der),
            "RSA PRIVATE KEY" => ImportPkcs1(der),
            _ => throw new FormatException($"Unsupported PEM block \"{label}\" for a DKIM key (expected PRIVATE KEY or RSA PRIVATE KEY; encrypted keys are not supported)."),
        };
    }

    /// <summary>Reads a key file's content: PEM, a raw 32-byte Ed25519 seed, or that seed in base64.</summary>
    public static DkimPrivateKey Load(ReadOnlySpan<byte> content)
    {
        if (content.Length == 32 && !IsBase64Text(content)) return FromEd25519Seed(content);
        var text = Encoding.ASCII.GetString(content).Trim();
        if (text.Contains("-----BEGIN", StringComparison.Ordinal)) return ImportPem(text);
        var seed = new byte[33];
        if (Convert.TryFromBase64String(text, seed, out var written) && written == 32) return FromEd25519Seed(seed.AsSpan(0, 32));
        throw new FormatException("A DKIM key must be PEM (PKCS#8 or PKCS#1) or a 32-byte Ed25519 seed, raw or base64.");
    }

    public static DkimPrivateKey LoadFile(string path) => Load(File.ReadAllBytes(path));

    /// <summary>Writes <see cref="ExportPem"/> to a file readable only by its owner.</summary>
    public void SaveFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(ExportPem()));
    }

    private static DkimPrivateKey ImportPkcs1(byte[] der)
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(der, out _);
        return CheckedRsa(rsa);
    }

    private static DkimPrivateKey ImportPkcs8(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        reader.ReadInteger();
        var algorithm = reader.ReadSequence().ReadObjectIdentifier();
        switch (algorithm)
        {
            case RsaOid:
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return CheckedRsa(rsa);
            case Ed25519Oid:
                // PrivateKey OCTET STRING wraps CurvePrivateKey ::= OCTET STRING (RFC 8410 §7).
                var inner = reader.ReadOctetString();
                var seed = new AsnReader(inner, AsnEncodingRules.DER).ReadOctetString();
                return FromEd25519Seed(seed);
            default:
                throw new FormatException($"Unsupported key algorithm {algorithm} in PKCS#8 (expected RSA or Ed25519).");
        }
    }

    private static DkimRsaPrivateKey CheckedRsa(RSA rsa)
    {
        if (rsa.KeySize >= 1024) return new DkimRsaPrivateKey(rsa);
        var bits = rsa.KeySize;
        rsa.Dispose();
        throw new FormatException($"The RSA key has {bits} bits; DKIM keys must have at least 1024 (RFC 8301).");
    }

    private static bool IsBase64Text(ReadOnlySpan<byte> content)
    {
        foreach (var b in content)
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not (byte)'+' and not (byte)'/' and not (byte)'=' and not (byte)'\r' and not (byte)'\n') return false;
        return true;
    }
}
