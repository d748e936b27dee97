namespace Estafeta.Imap.Grammar;

/// <summary>
/// The octets of a literal ({n}, {n+}, ~{n}). Small literals are kept in memory; larger ones (APPEND)
/// are spooled to a temporary file that is deleted when the literal is disposed.
/// </summary>
internal sealed class Literal : IAsyncDisposable
{
    private readonly byte[]? _bytes;
    private readonly FileStream? _spool;

    private Literal(long length, bool binary, byte[]? bytes, FileStream? spool)
    {
        Length = length;
        IsBinary = binary;
        _bytes = bytes;
        _spool = spool;
    }

    public long Length { get; }

    /// <summary>Sent as ~{n} (RFC 3516): may contain NUL.</summary>
    public bool IsBinary { get; }

    public static Literal InMemory(byte[] bytes, bool binary) => new(bytes.Length, binary, bytes, null);

    public static Literal Spooled(FileStream spool, long length, bool binary) => new(length, binary, null, spool);

    /// <summary>The octets, for literals small enough to be arguments (not messages).</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? throw new InvalidOperationException("A spooled literal has no span.");

    public bool IsInMemory => _bytes is not null;

    /// <summary>A stream over the octets from the start; the literal keeps ownership of the spool.</summary>
    public Stream OpenRead()
    {
        if (_bytes is not null) return new MemoryStream(_bytes, writable: false);
        _spool!.Position = 0;
        return new NonClosingStream(_spool);
    }

    public ValueTask DisposeAsync() => _spool?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Lets a reader dispose its stream without closing the spool.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
