using System.Buffers;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Where canonical bytes go: into a hash (optionally only the first <c>limit</c> octets,
/// for l=) and/or into a buffer. Small writes are gathered so the hash sees few large blocks.</summary>
internal sealed class CanonicalSink : IDisposable
{
    private readonly Sha256? hash;
    private readonly ArrayBufferWriter<byte>? copy;
    private readonly long limit;
    private readonly byte[] pending = ArrayPool<byte>.Shared.Rent(8192);
    private int pendingLength;

    public CanonicalSink(Sha256? hash, ArrayBufferWriter<byte>? copy = null, long limit = long.MaxValue)
    {
        this.hash = hash;
        this.copy = copy;
        this.limit = limit;
    }

    /// <summary>Every canonical octet written, including those past the limit.</summary>
    public long TotalLength { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        var room = limit - TotalLength;
        TotalLength += bytes.Length;
        if (room <= 0) return;
        if (bytes.Length > room) bytes = bytes[..(int)room];
        if (bytes.Length > pending.Length - pendingLength)
        {
            Flush();
            if (bytes.Length > pending.Length)
            {
                Emit(bytes);
                return;
            }
        }
        bytes.CopyTo(pending.AsSpan(pendingLength));
        pendingLength += bytes.Length;
    }

    public void Write(byte value) => Write([value]);

    public void Flush()
    {
        if (pendingLength == 0) return;
        Emit(pending.AsSpan(0, pendingLength));
        pendingLength = 0;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(pending);

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        hash?.Append(bytes);
        copy?.Write(bytes);
    }
}
