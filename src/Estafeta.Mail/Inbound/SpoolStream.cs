namespace Estafeta.Mail.Inbound;

/// <summary>
/// Where a message body lands while SMTP DATA is read: memory for small messages, a temporary file
/// (deleted on close) past <see cref="MemoryLimit"/>. It is not durable on purpose: the checks read
/// it, then the final message file (trace headers + this content) is written and fsync'd once.
/// </summary>
public sealed class SpoolStream(string tempDirectory) : Stream
{
    public const int MemoryLimit = 256 * 1024;
    private Stream _inner = new MemoryStream();
    private bool _onDisk;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        SpillIfNeeded(buffer.Length);
        _inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        SpillIfNeeded(buffer.Length);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void SpillIfNeeded(int more)
    {
        if (_onDisk || _inner.Length + more <= MemoryLimit) return;
        Directory.CreateDirectory(tempDirectory);
        var file = new FileStream(Path.Combine(tempDirectory, $"spool-{Guid.NewGuid():N}.tmp"), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        });
        var memory = (MemoryStream)_inner;
        file.Write(memory.GetBuffer(), 0, (int)memory.Length);
        _inner = file;
        _onDisk = true;
    }

    /// <summary>A reader over what was written so far, from the start (independent of this stream's position
    /// for the memory case; for the file case it rewinds the file).</summary>
    public Stream OpenRead()
    {
        _inner.Flush();
        if (_inner is MemoryStream memory) return new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false);
        _inner.Position = 0;
        return new NonClosingStream(_inner);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override long Length => _inner.Length;
    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Position { get => _inner.Length; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Reads the spool file without closing it (closing deletes it).</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
