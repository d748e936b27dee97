using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RSA PKCS#1 v1.5 verification of a SHA-256 digest (RFC 8017 §8.2.2) for keys whose public exponent is
/// 65537, the exponent of nearly every DKIM key. s^65537 mod n is sixteen Montgomery squarings and one multiplication
/// by libcrypto's BN_mod_mul_montgomery (its assembly Montgomery multiplication), with the Montgomery context made once
/// per key; the last multiplication is by s itself, which also takes the result out of Montgomery form. The result is
/// then compared octet for octet with the encoding RFC 8017 §9.2 prescribes (EMSA-PKCS1-v1_5: 00 01 FF…FF 00, SHA-256's
/// DigestInfo, the digest). EVP_PKEY_verify does the same multiplications through BN_mod_exp_mont, whose general
/// exponentiation (a conversion out of Montgomery form of its own, the exponent's bits read one by one) and padding
/// parser cost about 1.5 µs more per 2048-bit verification: 12.3 µs against 10.7 with a C loop on the same machine.
/// Keys with another exponent, an even modulus or more than <see cref="MaxModulusBits"/> bits verify through
/// <see cref="OpenSslRsaVerifier"/> instead.</summary>
internal static unsafe class MontgomeryRsaVerifier
{
    public const int MaxModulusBits = 4096;

    /// <summary>Moduli up to this many octets (2,048 bits) have their multiplications called without the runtime's GC
    /// transition: each takes about half a microsecond, less than the transition's share of it is worth keeping.</summary>
    private const int ShortCallModulusLength = 256;

    /// <summary>The DER DigestInfo prefix of a SHA-256 digest (RFC 8017 §9.2, note 1).</summary>
    private static ReadOnlySpan<byte> Sha256DigestInfo =>
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// <summary>The shortest modulus the encoding fits: 00 01, at least eight FF, 00, DigestInfo and digest (§9.2 step 3).</summary>
    private const int MinimumModulusLength = 2 + 8 + 1 + 19 + Sha256.HashSize;

    private static readonly Api? Functions = Load();

    public static bool IsAvailable => Functions is not null;

    /// <summary>The key with modulus <paramref name="modulus"/> and exponent <paramref name="exponent"/> (big-endian), or
    /// null when they are not for this path (libcrypto missing, exponent other than 65537, even modulus, more than
    /// <see cref="MaxModulusBits"/> bits) and the caller verifies another way.</summary>
    public static Key? Import(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent) =>
        Functions is { } api ? Import(api, modulus, exponent) : null;

    private static Key? Import(Api api, ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent)
    {
        modulus = modulus.TrimStart((byte)0);
        if (!exponent.TrimStart((byte)0).SequenceEqual((ReadOnlySpan<byte>)[1, 0, 1]) || modulus.IsEmpty || modulus.Length > MaxModulusBits / 8
            || (modulus[^1] & 1) == 0)
            return null;
        var handle = new MontgomeryHandle(api);
        fixed (byte* m = modulus)
        {
            var n = api.BinToBn(m, modulus.Length, IntPtr.Zero);
            if (n == IntPtr.Zero) throw api.Library.Error("BN_bin2bn");
            handle.SetModulus(n);
        }
        var context = api.CtxNew();
        if (context == IntPtr.Zero) throw api.Library.Error("BN_CTX_new");
        try
        {
            var mont = api.MontCtxNew();
            if (mont == IntPtr.Zero) throw api.Library.Error("BN_MONT_CTX_new");
            handle.SetMontgomery(mont);
            if (api.MontCtxSet(mont, handle.Modulus, context) != 1) throw api.Library.Error("BN_MONT_CTX_set");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        finally
        {
            api.CtxFree(context);
        }
        return new Key(handle, modulus.ToArray(), api);
    }

    private static Api? Load() => LibCrypto.Bind(library => new Api(library), SelfTest);

    /// <summary>The same known signature <see cref="OpenSslRsaVerifier"/> checks itself with must verify, and must not once
    /// one bit of the digest or of the signature changes.</summary>
    private static bool SelfTest(Api api)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(RsaSelfTest.SubjectPublicKeyInfo(), out _);
        var parameters = rsa.ExportParameters(false);
        using var key = Import(api, parameters.Modulus, parameters.Exponent);
        if (key is null) return false;
        var digest = RsaSelfTest.Digest();
        var signature = RsaSelfTest.Signature();
        try
        {
            if (!key.VerifyDigest(digest, signature)) return false;
            signature[^1] ^= 1;
            if (key.VerifyDigest(digest, signature)) return false;
            signature[^1] ^= 1;
            digest[^1] ^= 1;
            return !key.VerifyDigest(digest, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>An RSA public key with exponent 65537 and its Montgomery context. Safe to use from several threads at
    /// once: the context is only read, and each thread computes in numbers of its own.</summary>
    internal sealed class Key : IDisposable
    {
        private readonly MontgomeryHandle handle;
        private readonly byte[] modulus;
        private readonly Api api;

        internal Key(MontgomeryHandle handle, byte[] modulus, Api api)
        {
            this.handle = handle;
            this.modulus = modulus;
            this.api = api;
        }

        /// <summary>Whether <paramref name="signature"/> is this key's PKCS#1 v1.5 signature of the SHA-256
        /// <paramref name="digest"/>. False for a wrong signature, including one of the wrong length or whose integer is
        /// not below the modulus.</summary>
        public bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
        {
            var length = modulus.Length;
            // §8.2.2 step 1: a signature of another length than the modulus is invalid; §5.2.2: so is one whose integer is
            // not below the modulus (s and s + n would otherwise both verify).
            if (signature.Length != length || digest.Length != Sha256.HashSize || length < MinimumModulusLength
                || signature.SequenceCompareTo(modulus) >= 0)
                return false;
            Span<byte> encoded = stackalloc byte[MaxModulusBits / 8];
            encoded = encoded[..length];
            var numbers = Numbers.ForThread(api);
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var montgomery = handle.Montgomery;
                var context = numbers.Context;
                var s = numbers.Signature;
                var power = numbers.Power;
                fixed (byte* octets = signature)
                    if (api.BinToBn(octets, length, s) == IntPtr.Zero) throw api.Library.Error("BN_bin2bn");
                if (length <= ShortCallModulusLength)
                {
                    if (api.ToMontgomeryShort(power, s, montgomery, context) != 1) throw api.Library.Error("BN_to_montgomery");
                    for (var i = 0; i < 16; i++)
                        if (api.MultiplyShort(power, power, power, montgomery, context) != 1) throw api.Library.Error("BN_mod_mul_montgomery");
                    if (api.MultiplyShort(numbers.Result, power, s, montgomery, context) != 1) throw api.Library.Error("BN_mod_mul_montgomery");
                }
                else
                {
                    if (api.ToMontgomery(power, s, montgomery, context) != 1) throw api.Library.Error("BN_to_montgomery");
                    for (var i = 0; i < 16; i++)
                        if (api.Multiply(power, power, power, montgomery, context) != 1) throw api.Library.Error("BN_mod_mul_montgomery");
                    if (api.Multiply(numbers.Result, power, s, montgomery, context) != 1) throw api.Library.Error("BN_mod_mul_montgomery");
                }
                fixed (byte* octets = encoded)
                    if (api.BnToBinPad(numbers.Result, octets, length) != length) throw api.Library.Error("BN_bn2binpad");
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
            return IsEncoding(encoded, digest);
        }

        /// <summary>Whether <paramref name="encoded"/> is EMSA-PKCS1-v1_5 of the SHA-256 <paramref name="digest"/>.</summary>
        private static bool IsEncoding(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> digest)
        {
            var tail = Sha256DigestInfo.Length + digest.Length;
            var padding = encoded[2..^(tail + 1)];
            return encoded[0] == 0 && encoded[1] == 1 && !padding.ContainsAnyExcept((byte)0xFF) && encoded[^(tail + 1)] == 0
                && encoded[^tail..^digest.Length].SequenceEqual(Sha256DigestInfo) && encoded[^digest.Length..].SequenceEqual(digest);
        }

        public void Dispose() => handle.Dispose();
    }

    /// <summary>A modulus (BIGNUM) and its Montgomery context (BN_MONT_CTX), freed together.</summary>
    internal sealed class MontgomeryHandle(Api api) : SafeHandle(IntPtr.Zero, ownsHandle: true)
    {
        private IntPtr modulus;

        public IntPtr Modulus => modulus;
        public IntPtr Montgomery => handle;

        public void SetModulus(IntPtr number) => modulus = number;
        public void SetMontgomery(IntPtr context) => SetHandle(context);

        public override bool IsInvalid => handle == IntPtr.Zero && modulus == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            if (handle != IntPtr.Zero) api.MontCtxFree(handle);
            if (modulus != IntPtr.Zero) api.BnFree(modulus);
            return true;
        }
    }

    /// <summary>The numbers one thread computes a verification in, and the BN_CTX the multiplications borrow
    /// temporaries from (neither may be shared between threads). Freed when the thread is gone.</summary>
    private sealed class Numbers
    {
        [ThreadStatic] private static Numbers? current;

        private readonly Api api;
        public readonly IntPtr Context;
        public readonly IntPtr Signature;
        public readonly IntPtr Power;
        public readonly IntPtr Result;

        private Numbers(Api api)
        {
            this.api = api;
            Context = api.CtxNew();
            Signature = api.BnNew();
            Power = api.BnNew();
            Result = api.BnNew();
            if (Context == IntPtr.Zero || Signature == IntPtr.Zero || Power == IntPtr.Zero || Result == IntPtr.Zero)
            {
                var error = api.Library.Error("BN_new");
                Free();
                GC.SuppressFinalize(this);
                throw error;
            }
        }

        public static Numbers ForThread(Api api) => current ??= new Numbers(api);

        ~Numbers() => Free();

        private void Free()
        {
            if (Context != IntPtr.Zero) api.CtxFree(Context);
            foreach (var number in (ReadOnlySpan<IntPtr>)[Signature, Power, Result])
                if (number != IntPtr.Zero) api.BnFree(number);
        }
    }

    internal sealed class Api(LibCrypto.Library library)
    {
        public readonly LibCrypto.Library Library = library;
        public readonly delegate* unmanaged<IntPtr> BnNew = (delegate* unmanaged<IntPtr>)library.Export("BN_new");
        public readonly delegate* unmanaged<IntPtr, void> BnFree = (delegate* unmanaged<IntPtr, void>)library.Export("BN_free");
        public readonly delegate* unmanaged<IntPtr> CtxNew = (delegate* unmanaged<IntPtr>)library.Export("BN_CTX_new");
        public readonly delegate* unmanaged<IntPtr, void> CtxFree = (delegate* unmanaged<IntPtr, void>)library.Export("BN_CTX_free");
        public readonly delegate* unmanaged<IntPtr> MontCtxNew = (delegate* unmanaged<IntPtr>)library.Export("BN_MONT_CTX_new");
        public readonly delegate* unmanaged<IntPtr, void> MontCtxFree = (delegate* unmanaged<IntPtr, void>)library.Export("BN_MONT_CTX_free");
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, int> MontCtxSet =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, int>)library.Export("BN_MONT_CTX_set");
        // The calls of a verification take well under a microsecond each for moduli up to 2,048 bits (BN_bin2bn and
        // BN_bn2binpad for any): they neither block nor call back into .NET, so they skip the GC transition.
        public readonly delegate* unmanaged[SuppressGCTransition]<byte*, int, IntPtr, IntPtr> BinToBn =
            (delegate* unmanaged[SuppressGCTransition]<byte*, int, IntPtr, IntPtr>)library.Export("BN_bin2bn");
        public readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, byte*, int, int> BnToBinPad =
            (delegate* unmanaged[SuppressGCTransition]<IntPtr, byte*, int, int>)library.Export("BN_bn2binpad");
        public readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr, IntPtr, IntPtr, int> ToMontgomeryShort =
            (delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr, IntPtr, IntPtr, int>)library.Export("BN_to_montgomery");
        public readonly delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int> MultiplyShort =
            (delegate* unmanaged[SuppressGCTransition]<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int>)library.Export("BN_mod_mul_montgomery");
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, int> ToMontgomery =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, int>)library.Export("BN_to_montgomery");
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int> Multiply =
            (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int>)library.Export("BN_mod_mul_montgomery");
    }
}
