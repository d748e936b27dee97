using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Ed25519 signing (RFC 8032, pure, as RFC 8463 uses it) through OpenSSL's libcrypto: the
/// library .NET itself uses for RSA and hashing on Linux, so it is there wherever the platform's
/// cryptography works. It signs in about half the time BouncyCastle's managed Ed25519 takes.
/// Verification stays with BouncyCastle, which verifies faster than OpenSSL 3.0 does (about 100 µs
/// against 130 µs per signature on the machine measured). When no libcrypto 3 or 1.1 can be loaded
/// (Windows, or a system without OpenSSL), <see cref="IsAvailable"/> is false and signing uses
/// BouncyCastle too.</summary>
internal static unsafe class OpenSslEd25519
{
    private const int EvpPkeyEd25519 = 1087; // NID_ED25519 (obj_mac.h), the same in OpenSSL 1.1.1 and 3
    private const int SignatureSize = 64;

    private static readonly Api? Functions = Load();

    public static bool IsAvailable => Functions is not null;

    /// <summary>Which library signs Ed25519, for diagnostics and benchmark reports.</summary>
    public static string Implementation => Functions?.LibraryName ?? "BouncyCastle (managed; no OpenSSL libcrypto was found)";

    public static byte[] RawPublicKey(Key key)
    {
        var api = Require();
        var publicKey = new byte[32];
        nuint length = 32;
        var added = false;
        try
        {
            key.DangerousAddRef(ref added);
            fixed (byte* p = publicKey)
                if (api.GetRawPublicKey(key.DangerousGetHandle(), p, &length) != 1 || length != 32) throw Error("EVP_PKEY_get_raw_public_key");
        }
        finally
        {
            if (added) key.DangerousRelease();
        }
        return publicKey;
    }

    public static byte[] Sign(Key key, ReadOnlySpan<byte> data)
    {
        var api = Require();
        var signature = new byte[SignatureSize];
        var added = false;
        var context = IntPtr.Zero;
        try
        {
            key.DangerousAddRef(ref added);
            context = api.MdCtxNew();
            if (context == IntPtr.Zero) throw Error("EVP_MD_CTX_new");
            if (api.DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key.DangerousGetHandle()) != 1) throw Error("EVP_DigestSignInit");
            nuint length = SignatureSize;
            fixed (byte* s = signature)
            fixed (byte* d = data)
                if (api.DigestSign(context, s, &length, d, (nuint)data.Length) != 1 || length != SignatureSize) throw Error("EVP_DigestSign");
        }
        finally
        {
            if (context != IntPtr.Zero) api.MdCtxFree(context);
            if (added) key.DangerousRelease();
        }
        return signature;
    }

    /// <summary>An EVP_PKEY for a 32-byte private seed.</summary>
    public static Key PrivateKey(ReadOnlySpan<byte> seed)
    {
        var api = Require();
        if (seed.Length != 32) throw new CryptographicException($"An Ed25519 seed has 32 bytes, not {seed.Length}.");
        IntPtr handle;
        fixed (byte* s = seed) handle = api.NewRawPrivateKey(EvpPkeyEd25519, IntPtr.Zero, s, 32);
        if (handle == IntPtr.Zero) throw Error("EVP_PKEY_new_raw_private_key");
        return new Key(handle, api);
    }

    private static Api Require() => Functions ?? throw new PlatformNotSupportedException("OpenSSL libcrypto is not available.");

    private static CryptographicException Error(string function)
    {
        var api = Require();
        var code = api.ErrGetError();
        api.ErrClearError();
        if (code == 0) return new CryptographicException($"OpenSSL {function} failed.");
        var text = stackalloc byte[256];
        api.ErrErrorStringN(code, text, 256);
        return new CryptographicException($"OpenSSL {function} failed: {Marshal.PtrToStringUTF8((IntPtr)text)}");
    }

    /// <summary>The library .NET's own cryptography loaded is already in the process; loading it by
    /// name again returns the same handle.</summary>
    private static Api? Load()
    {
        if (OperatingSystem.IsWindows()) return null;
        string[] names = OperatingSystem.IsMacOS()
            ? ["libcrypto.3.dylib", "libcrypto.dylib"]
            : ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"];
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out var library)) continue;
            try
            {
                var api = new Api(name, library);
                if (SelfTest(api)) return api;
            }
            catch (EntryPointNotFoundException)
            {
                // Too old (before 1.1.1, which added raw keys): try the next name.
            }
        }
        return null;
    }

    /// <summary>RFC 8032 §7.1 test 1 (empty message): the library must produce exactly its signature
    /// before it is trusted with keys.</summary>
    private static bool SelfTest(Api api)
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var expected = Convert.FromHexString(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        IntPtr key;
        fixed (byte* s = seed) key = api.NewRawPrivateKey(EvpPkeyEd25519, IntPtr.Zero, s, 32);
        if (key == IntPtr.Zero)
        {
            api.ErrClearError();
            return false;
        }
        var context = api.MdCtxNew();
        try
        {
            var signature = new byte[SignatureSize];
            nuint length = SignatureSize;
            byte empty = 0;
            fixed (byte* sig = signature)
            {
                if (context == IntPtr.Zero || api.DigestSignInit(context, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, key) != 1
                    || api.DigestSign(context, sig, &length, &empty, 0) != 1)
                {
                    api.ErrClearError();
                    return false;
                }
            }
            return length == SignatureSize && signature.AsSpan().SequenceEqual(expected);
        }
        finally
        {
            if (context != IntPtr.Zero) api.MdCtxFree(context);
            api.PkeyFree(key);
        }
    }

    /// <summary>An owned EVP_PKEY. Safe to use from several threads at once (OpenSSL keys are
    /// read-only once made; each operation has its own EVP_MD_CTX).</summary>
    internal sealed class Key : SafeHandle
    {
        private readonly Api api;

        internal Key(IntPtr handle, Api api) : base(IntPtr.Zero, ownsHandle: true)
        {
            this.api = api;
            SetHandle(handle);
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
        public readonly string LibraryName;
        public readonly delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> NewRawPrivateKey;
        public readonly delegate* unmanaged<IntPtr, byte*, nuint*, int> GetRawPublicKey;
        public readonly delegate* unmanaged<IntPtr, void> PkeyFree;
        public readonly delegate* unmanaged<IntPtr> MdCtxNew;
        public readonly delegate* unmanaged<IntPtr, void> MdCtxFree;
        public readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int> DigestSignInit;
        public readonly delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> DigestSign;
        public readonly delegate* unmanaged<ulong> ErrGetError;
        public readonly delegate* unmanaged<void> ErrClearError;
        public readonly delegate* unmanaged<ulong, byte*, nuint, void> ErrErrorStringN;

        public Api(string name, IntPtr library)
        {
            LibraryName = "OpenSSL " + name;
            IntPtr Get(string symbol) => NativeLibrary.GetExport(library, symbol);
            NewRawPrivateKey = (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)Get("EVP_PKEY_new_raw_private_key");
            GetRawPublicKey = (delegate* unmanaged<IntPtr, byte*, nuint*, int>)Get("EVP_PKEY_get_raw_public_key");
            PkeyFree = (delegate* unmanaged<IntPtr, void>)Get("EVP_PKEY_free");
            MdCtxNew = (delegate* unmanaged<IntPtr>)Get("EVP_MD_CTX_new");
            MdCtxFree = (delegate* unmanaged<IntPtr, void>)Get("EVP_MD_CTX_free");
            DigestSignInit = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int>)Get("EVP_DigestSignInit");
            DigestSign = (delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int>)Get("EVP_DigestSign");
            ErrGetError = (delegate* unmanaged<ulong>)Get("ERR_get_error");
            ErrClearError = (delegate* unmanaged<void>)Get("ERR_clear_error");
            ErrErrorStringN = (delegate* unmanaged<ulong, byte*, nuint, void>)Get("ERR_error_string_n");
        }
    }
}
