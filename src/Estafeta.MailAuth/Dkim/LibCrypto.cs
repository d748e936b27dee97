using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>OpenSSL's libcrypto, loaded by name: the library .NET's own cryptography runs on under
/// Linux, so it is already in the process wherever the platform's RSA and SHA-256 work (loading it
/// again returns the same handle). Used where calling it directly saves work .NET does per operation
/// (<see cref="OpenSslEd25519"/>, <see cref="OpenSslRsaVerifier"/>). Null on Windows and where no
/// libcrypto 3 or 1.1 can be loaded; each user then falls back to a managed or platform path.</summary>
internal static unsafe class LibCrypto
{
    public static readonly Library? Loaded = Load();

    /// <summary>Binds a set of functions of the loaded library and trusts them only once their self-test passes:
    /// null when there is no libcrypto, when it lacks one of the functions (too old a version), or when the
    /// self-test fails, so that callers fall back to the platform's implementation.</summary>
    public static TApi? Bind<TApi>(Func<Library, TApi> bind, Func<TApi, bool> selfTest) where TApi : class
    {
        if (Loaded is not { } library) return null;
        try
        {
            var api = bind(library);
            return selfTest(api) ? api : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static Library? Load()
    {
        if (OperatingSystem.IsWindows()) return null;
        string[] names = OperatingSystem.IsMacOS()
            ? ["libcrypto.3.dylib", "libcrypto.dylib"]
            : ["libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so"];
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (NativeLibrary.TryGetExport(handle, "ERR_get_error", out var getError)
                && NativeLibrary.TryGetExport(handle, "ERR_clear_error", out var clearError)
                && NativeLibrary.TryGetExport(handle, "ERR_error_string_n", out var errorString))
                return new Library(name, handle, getError, clearError, errorString);
        }
        return null;
    }

    internal sealed class Library
    {
        private readonly IntPtr handle;
        private readonly delegate* unmanaged<ulong> errGetError;
        private readonly delegate* unmanaged<ulong, byte*, nuint, void> errErrorStringN;

        public Library(string name, IntPtr handle, IntPtr getError, IntPtr clearError, IntPtr errorString)
        {
            Name = name;
            this.handle = handle;
            errGetError = (delegate* unmanaged<ulong>)getError;
            ClearError = (delegate* unmanaged<void>)clearError;
            errErrorStringN = (delegate* unmanaged<ulong, byte*, nuint, void>)errorString;
        }

        public string Name { get; }

        /// <summary>ERR_clear_error: empties this thread's OpenSSL error queue (after a failed call, so that
        /// the next caller on the thread, .NET's cryptography included, does not see a stale error).</summary>
        public readonly delegate* unmanaged<void> ClearError;

        /// <summary>The address of <paramref name="symbol"/>; throws <see cref="EntryPointNotFoundException"/>
        /// when this libcrypto does not export it (too old).</summary>
        public IntPtr Export(string symbol) => NativeLibrary.GetExport(handle, symbol);

        /// <summary>An exception naming the failed call and the first queued OpenSSL error; clears the queue.</summary>
        public CryptographicException Error(string function)
        {
            var code = errGetError();
            ClearError();
            if (code == 0) return new CryptographicException($"OpenSSL {function} failed.");
            var text = stackalloc byte[256];
            errErrorStringN(code, text, 256);
            return new CryptographicException($"OpenSSL {function} failed: {Marshal.PtrToStringUTF8((IntPtr)text)}");
        }
    }
}

/// <summary>A few native OpenSSL contexts (EVP_MD_CTX, EVP_PKEY_CTX) initialised for one key, kept for
/// reuse: setting one up costs OpenSSL 3 an algorithm fetch and a provider context, several microseconds
/// per operation. A context serves one thread at a time; <see cref="Rent"/> hands out a kept one or
/// null (the caller makes a new one), <see cref="Return"/> keeps it or frees it when all slots are full.
/// Lock-free: one exchange per rent and per return.</summary>
internal sealed unsafe class NativeContextPool : IDisposable
{
    private readonly IntPtr[] slots = new IntPtr[Math.Clamp(Environment.ProcessorCount, 2, 16)];
    private readonly delegate* unmanaged<IntPtr, void> free;
    private volatile bool disposed;

    public NativeContextPool(delegate* unmanaged<IntPtr, void> free) => this.free = free;

    /// <summary>Key caches drop keys without disposing them; the kept contexts are freed then. (A context
    /// in use keeps its pool reachable through the key that rented it.)</summary>
    ~NativeContextPool() => Drain();

    public IntPtr Rent()
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if (Volatile.Read(ref slots[i]) == IntPtr.Zero) continue;
            var context = Interlocked.Exchange(ref slots[i], IntPtr.Zero);
            if (context != IntPtr.Zero) return context;
        }
        return IntPtr.Zero;
    }

    public void Return(IntPtr context)
    {
        if (!disposed)
        {
            for (var i = 0; i < slots.Length; i++)
                if (Interlocked.CompareExchange(ref slots[i], context, IntPtr.Zero) == IntPtr.Zero)
                {
                    // Dispose may have drained the slots between the check and the store: drain again.
                    if (disposed) Drain();
                    return;
                }
        }
        free(context);
    }

    /// <summary>Frees a context instead of keeping it (after a failed operation left it in an unknown state).</summary>
    public void Discard(IntPtr context) => free(context);

    public void Dispose()
    {
        disposed = true;
        Drain();
        GC.SuppressFinalize(this);
    }

    private void Drain()
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var context = Interlocked.Exchange(ref slots[i], IntPtr.Zero);
            if (context != IntPtr.Zero) free(context);
        }
    }
}
