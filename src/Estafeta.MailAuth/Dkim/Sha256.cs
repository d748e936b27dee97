using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>SHA-256 for the DKIM hashes. Where libcrypto is loaded (<see cref="LibCrypto"/>) it hashes
/// through libcrypto's SHA256_Init/Update/Final on a context held in managed memory: the same code
/// (SHA-NI where the processor has it) .NET's SHA-256 reaches, without the provider dispatch, context
/// allocation and error-queue clearing .NET's interop does around every call, which costs about as
/// much as hashing a kilobyte — the size of the signed header fields. Elsewhere it uses
/// <see cref="IncrementalHash"/>. One instance hashes one thing at a time.</summary>
internal sealed unsafe class Sha256 : IDisposable
{
    public const int HashSize = 32;
    private const int ContextSize = 128; // at least sizeof(SHA256_CTX): 8 + 2 + 16 + 2 words of 4 octets

    private static readonly Api? Functions = Load();

    private readonly byte[]? context;
    private readonly IncrementalHash? platform;

    public Sha256()
    {
        if (Functions is { } api)
        {
            context = GC.AllocateArray<byte>(ContextSize, pinned: true);
            fixed (byte* c = context) api.Init(c);
        }
        else
        {
            platform = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    /// <summary>Whether hashing goes through libcrypto directly.</summary>
    public static bool IsNative => Functions is not null;

    /// <summary>One per thread, for callers that hash and finish within one call.</summary>
    public static Sha256 ForThread => perThread ??= new Sha256();

    [ThreadStatic] private static Sha256? perThread;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (context is null)
        {
            platform!.AppendData(data);
            return;
        }
        fixed (byte* d = data)
        fixed (byte* c = context)
        {
            // A short input is hashed in well under a microsecond: the call skips the runtime's switch to native
            // mode and back (GC transition), which costs about as much as hashing 20 octets. A long one (a body) keeps
            // it, so that a garbage collection never waits for the thread.
            if (data.Length <= SuppressedTransitionLimit) Functions!.UpdateShort(c, d, (nuint)data.Length);
            else Functions!.Update(c, d, (nuint)data.Length);
        }
    }

    /// <summary>Inputs up to this length (under half a microsecond of hashing) are hashed without a GC transition.</summary>
    private const int SuppressedTransitionLimit = 1024;

    /// <summary>Writes the hash of everything appended and starts over.</summary>
    public void Finish(Span<byte> destination)
    {
        if (destination.Length < HashSize) throw new ArgumentException("The destination holds less than 32 octets.", nameof(destination));
        if (context is null)
        {
            platform!.GetHashAndReset(destination);
            return;
        }
        fixed (byte* h = destination)
        fixed (byte* c = context)
        {
            Functions!.FinalShort(h, c);
            Functions.InitShort(c);
        }
    }

    public byte[] Finish()
    {
        var hash = new byte[HashSize];
        Finish(hash);
        return hash;
    }

    /// <summary>Discards what was appended (after a failure part-way).</summary>
    public void Reset()
    {
        if (context is null)
        {
            platform!.GetHashAndReset();
            return;
        }
        fixed (byte* c = context) Functions!.InitShort(c);
    }

    public void Dispose() => platform?.Dispose();

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var sha = ForThread;
        sha.Reset();
        sha.Append(data);
        return sha.Finish();
    }

    private static Api? Load() => LibCrypto.Bind(library => new Api(library), SelfTest);

    /// <summary>The library must agree with the platform's SHA-256 on the empty input, on one octet and on
    /// input spanning several blocks, fed in uneven pieces, before it is used.</summary>
    private static bool SelfTest(Api api)
    {
        var data = new byte[1000];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(i * 7 + 3);
        var context = stackalloc byte[ContextSize];
        Span<byte> hash = stackalloc byte[HashSize];
        foreach (var length in (int[])[0, 1, 64, 1000])
        {
            if (api.Init(context) != 1) return false;
            fixed (byte* d = data)
            {
                var half = length / 3;
                if (api.Update(context, d, (nuint)half) != 1 || api.Update(context, d + half, (nuint)(length - half)) != 1) return false;
            }
            fixed (byte* h = hash)
                if (api.Final(h, context) != 1) return false;
            if (!hash.SequenceEqual(SHA256.HashData(data.AsSpan(0, length)))) return false;
        }
        return true;
    }

    private sealed class Api(LibCrypto.Library library)
    {
        public readonly delegate* unmanaged<byte*, int> Init = (delegate* unmanaged<byte*, int>)library.Export("SHA256_Init");
        public readonly delegate* unmanaged<byte*, byte*, nuint, int> Update = (delegate* unmanaged<byte*, byte*, nuint, int>)library.Export("SHA256_Update");
        public readonly delegate* unmanaged<byte*, byte*, int> Final = (delegate* unmanaged<byte*, byte*, int>)library.Export("SHA256_Final");
        // The same functions called without a GC transition, for calls that take well under a microsecond (a context
        // reset, a short input): they neither block nor call back into .NET.
        public readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> FinalShort = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)library.Export("SHA256_Final");
        public readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> InitShort = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)library.Export("SHA256_Init");
        public readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> UpdateShort = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)library.Export("SHA256_Update");
    }
}
