using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RSA PKCS#1 v1.5 verification of a SHA-256 digest (RFC 8017 §8.2.2, as DKIM's rsa-sha256 uses
/// it) through libcrypto's EVP_PKEY_verify, with the key (EVP_PKEY) made once per key record and the
/// verification contexts (EVP_PKEY_CTX, padding and digest set) kept for reuse. .NET's
/// <see cref="RSA.VerifyHash(ReadOnlySpan{byte}, ReadOnlySpan{byte}, HashAlgorithmName, RSASignaturePadding)"/>
/// reaches the same function but creates and initialises a context for every call, which under
/// OpenSSL 3 costs a fetch of the algorithm from its provider each time. Needs OpenSSL 3 (1.1 has the
/// padding and digest setters only as macros); where it is missing <see cref="IsAvailable"/> is false
/// and keys verify through the platform's RSA.</summary>
internal static unsafe class OpenSslRsaVerifier
{
    private const int RsaPkcs1Padding = 1; // RSA_PKCS1_PADDING (rsa.h)

    private static readonly Api? Functions = Load();

    public static bool IsAvailable => Functions is not null;

    /// <summary>The key a DER SubjectPublicKeyInfo holds, or null when libcrypto is not available or
    /// does not read it as a public key.</summary>
    public static Key? Import(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        if (Functions is not { } api) return null;
        IntPtr pkey;
        fixed (byte* der = subjectPublicKeyInfo)
        {
            var cursor = der;
            pkey = api.D2iPubKey(IntPtr.Zero, &cursor, new CLong(subjectPublicKeyInfo.Length));
        }
        if (pkey == IntPtr.Zero)
        {
            api.Library.ClearError();
            return null;
        }
        return new Key(new KeyHandle(pkey, api), api);
    }

    private static Api? Load() => LibCrypto.Bind(library => new Api(library), SelfTest);

    /// <summary>The known signature of <see cref="RsaSelfTest"/> must verify, and must not once one bit of the digest
    /// changes, before the library is trusted with DKIM verdicts.</summary>
    private static bool SelfTest(Api api)
    {
        var spki = RsaSelfTest.SubjectPublicKeyInfo();
        var signature = RsaSelfTest.Signature();
        var digest = RsaSelfTest.Digest();
        IntPtr pkey;
        fixed (byte* der = spki)
        {
            var cursor = der;
            pkey = api.D2iPubKey(IntPtr.Zero, &cursor, new CLong(spki.Length));
        }
        if (pkey == IntPtr.Zero)
        {
            api.Library.ClearError();
            return false;
        }
        using var key = new Key(new KeyHandle(pkey, api), api);
        try
        {
            if (!key.VerifyDigest(digest, signature)) return false;
            digest[0] ^= 1;
            return !key.VerifyDigest(digest, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>An RSA public key in libcrypto. Safe to use from several threads at once: each
    /// verification takes a context of its own from the pool.</summary>
    internal sealed class Key : IDisposable
    {
        private readonly KeyHandle handle;
        private readonly Api api;
        private readonly NativeContextPool contexts;

        internal Key(KeyHandle handle, Api api)
        {
            this.handle = handle;
            this.api = api;
            contexts = new NativeContextPool(api.PkeyCtxFree);
        }

        /// <summary>Whether <paramref name="signature"/> is this key's PKCS#1 v1.5 signature of the SHA-256
        /// <paramref name="digest"/>. False for a wrong signature, including one of the wrong length.</summary>
        public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var context = contexts.Rent();
                if (context == IntPtr.Zero) context = NewContext();
                int verified;
                fixed (byte* s = signature)
                fixed (byte* d = digest)
                    verified = api.Verify(context, s, (nuint)signature.Length, d, (nuint)digest.Length);
                if (verified == 1)
                {
                    contexts.Return(context);
                    return true;
                }
                // 0 is a signature that does not verify, below 0 one that could not be checked (wrong
                // length, say): either way not verified. The failure queued an error for this thread.
                api.Library.ClearError();
                contexts.Discard(context);
                return false;
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }

        private IntPtr NewContext()
        {
            var context = api.PkeyCtxNew(handle.DangerousGetHandle(), IntPtr.Zero);
            if (context == IntPtr.Zero) throw api.Library.Error("EVP_PKEY_CTX_new");
            if (api.VerifyInit(context) != 1 || api.SetRsaPadding(context, RsaPkcs1Padding) != 1 || api.SetSignatureMd(context, api.Sha256()) != 1)
            {
                var error = api.Library.Error("EVP_PKEY_verify_init");
                api.PkeyCtxFree(context);
                throw error;
            }
            return context;
        }

        public void Dispose()
        {
            contexts.Dispose();
            handle.Dispose();
        }
    }

    internal sealed class KeyHandle : SafeHandle
    {
        private readonly Api api;

        internal KeyHandle(IntPtr pkey, Api api) : base(IntPtr.Zero, ownsHandle: true)
        {
            this.api = api;
            SetHandle(pkey);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            api.PkeyFree(handle);
            return true;
        }
    }

    internal sealed class Api
    {
        public readonly LibCrypto.Library Library;
        public readonly delegate* unmanaged<IntPtr, byte**, CLong, IntPtr> D2iPubKey;
        public readonly delegate* unmanaged<IntPtr, void> PkeyFree;
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr> PkeyCtxNew;
        public readonly delegate* unmanaged<IntPtr, void> PkeyCtxFree;
        public readonly delegate* unmanaged<IntPtr, int> VerifyInit;
        public readonly delegate* unmanaged<IntPtr, int, int> SetRsaPadding;
        public readonly delegate* unmanaged<IntPtr, IntPtr, int> SetSignatureMd;
        public readonly delegate* unmanaged<IntPtr> Sha256;
        public readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, int> Verify;

        public Api(LibCrypto.Library library)
        {
            Library = library;
            D2iPubKey = (delegate* unmanaged<IntPtr, byte**, CLong, IntPtr>)library.Export("d2i_PUBKEY");
            PkeyFree = (delegate* unmanaged<IntPtr, void>)library.Export("EVP_PKEY_free");
            PkeyCtxNew = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)library.Export("EVP_PKEY_CTX_new");
            PkeyCtxFree = (delegate* unmanaged<IntPtr, void>)library.Export("EVP_PKEY_CTX_free");
            VerifyInit = (delegate* unmanaged<IntPtr, int>)library.Export("EVP_PKEY_verify_init");
            SetRsaPadding = (delegate* unmanaged<IntPtr, int, int>)library.Export("EVP_PKEY_CTX_set_rsa_padding");
            SetSignatureMd = (delegate* unmanaged<IntPtr, IntPtr, int>)library.Export("EVP_PKEY_CTX_set_signature_md");
            Sha256 = (delegate* unmanaged<IntPtr>)library.Export("EVP_sha256");
            Verify = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, int>)library.Export("EVP_PKEY_verify");
        }
    }
}
