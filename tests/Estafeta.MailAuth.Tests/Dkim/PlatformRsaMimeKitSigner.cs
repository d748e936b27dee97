using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;
using Org.BouncyCastle.Crypto;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>MimeKit's own DKIM signer with its RSA step moved to the platform RSA, the way
/// DESIGN.md describes; measured against our signer and MimeKit's default.</summary>
internal sealed class PlatformRsaMimeKitSigner(Stream pkcs1Pem, RSA rsa, string domain, string selector)
    : MimeKit.Cryptography.DkimSigner(pkcs1Pem, domain, selector, MimeKit.Cryptography.DkimSignatureAlgorithm.RsaSha256)
{
    protected override ISigner CreateSigningContext() => new SystemRsaDigestSigner(rsa);
}
