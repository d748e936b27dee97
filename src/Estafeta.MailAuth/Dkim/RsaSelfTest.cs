using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A known RSA signature the native verifiers check themselves with before they are trusted with DKIM
/// verdicts: a 1024-bit key (exponent 65537) and its PKCS#1 v1.5 signature over SHA-256("libcrypto self-test"), made
/// with the openssl command. Each call returns fresh arrays, which a test may alter.</summary>
internal static class RsaSelfTest
{
    public static byte[] SubjectPublicKeyInfo() => Convert.FromHexString(
        "30819f300d06092a864886f70d010101050003818d0030818902818100b600cc96a1b0befdc278668d154563a752bceebba42a91eccde99e88f213eab548"
        + "49aeec192e705c91a550e0a9a32af8e1a39a926f1272d1f662f14093092b575581cbe621c8cf90a9bf3175c228a27d15ee15a3315508a50a556777d012a4"
        + "06e757814241c146d39e6055506b4404189e0c784f3bb012e88470b88a3506b2930203010001");

    public static byte[] Signature() => Convert.FromHexString(
        "6ffb72f09a9791a7dcaadfc59b94f6741e890bcb6b6c17b1c560d2268f5cde360173f0e81a803656ba86545d98f8a39a28ba0c79a04276c8e25fde4cb13c"
        + "fce5ff1a4324fc9d5ccab6c847a1c11acab8ba9e671a5dd8c0efb28d12ac15c2818c5d63e6ed97ee60644bdafdf56f6e5bcf988b0de45df5f4b43d0b7e5f"
        + "02157600");

    public static byte[] Digest() => SHA256.HashData("libcrypto self-test"u8);
}
