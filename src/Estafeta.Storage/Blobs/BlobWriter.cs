using System.Security.Cryptography;

namespace Estafeta.Storage;

/// <summary>
/// Writes new message content to a temporary file while hashing it. <see cref="CommitAsync"/> fsyncs it and
/// moves it to its content address (or drops it when that content is already stored). Disposing without
/// committing deletes the temporary file. Write-only; not thread-safe.
/// </summary>
public sealed class BlobWriter : Stream
{
    private readonly BlobStore store;
    private readonly string tempPath;
    private readonly FileStream file;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long length;
    private BlobRef? committed;
    private bool disposed;

    internal BlobWriter(BlobStore store)
    {
        this.store = store;
        tempPath = Path.Combine(store.TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");
        file = new FileStream(tempPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 64 * 1024,
        });
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !disposed && committed is null;

    public override long Length => length;

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Makes the content durable and returns its reference. When a file with the same content exists already it
    /// is kept as it is and the temporary file deleted.
    /// </summary>
    public async Task<BlobRef> CommitAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed is not null)
        {
            return committed;
        }

        var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (store.Exists(digest))
        {
            await file.DisposeAsync().ConfigureAwait(false);
            File.Delete(tempPath);

            // Fresh again as far as the orphan sweep is concerned, while the delivery that reuses it commits.
            File.SetLastWriteTimeUtc(store.PathOf(digest), DateTime.UtcNow);
        }
        else
        {
            await file.FlushAsync(ct).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            await file.DisposeAsync().ConfigureAwait(false);
            store.Publish(tempPath, digest);
        }

        committed = new BlobRef(digest, length);
        return committed;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        hash.AppendData(buffer);
        file.Write(buffer);
        length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        hash.AppendData(buffer.Span);
        await file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        length += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        hash.Dispose();
        if (committed is null)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            File.Delete(tempPath);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            hash.Dispose();
            if (committed is null)
            {
                file.Dispose();
                File.Delete(tempPath);
            }
        }

        base.Dispose(disposing);
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (committed is not null)
        {
            throw new InvalidOperationException("the blob was committed; create a new writer for more content");
        }
    }
}
