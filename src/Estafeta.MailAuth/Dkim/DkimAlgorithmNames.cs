namespace Estafeta.MailAuth.Dkim;

public static class DkimAlgorithmNames
{
    public static string ToTagValue(this DkimAlgorithm algorithm) => algorithm switch
    {
        DkimAlgorithm.RsaSha256 => "rsa-sha256",
        DkimAlgorithm.Ed25519Sha256 => "ed25519-sha256",
        DkimAlgorithm.RsaSha1 => "rsa-sha1",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>The k= key type the algorithm needs.</summary>
    public static string KeyType(this DkimAlgorithm algorithm) =>
        algorithm == DkimAlgorithm.Ed25519Sha256 ? "ed25519" : "rsa";

    public static bool TryParse(string value, out DkimAlgorithm algorithm)
    {
        switch (value.ToLowerInvariant())
        {
            case "rsa-sha256": algorithm = DkimAlgorithm.RsaSha256; return true;
            case "ed25519-sha256": algorithm = DkimAlgorithm.Ed25519Sha256; return true;
            case "rsa-sha1": algorithm = DkimAlgorithm.RsaSha1; return true;
            default: algorithm = default; return false;
        }
    }
}
