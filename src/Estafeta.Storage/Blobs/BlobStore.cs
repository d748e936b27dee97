namespace Estafeta.Storage;

/// <summary>
/// Message content, stored once per distinct content under <c>DATA/messages/ab/&lt;sha256&gt;.eml</c>.
/// New content is written to <c>DATA/tmp/</c> while it is hashed, fsync'd, renamed into place and the
/// directory fsync'd (see <see cref="DirectorySync"/>), so once <see cref="BlobWriter.CommitAsync"/> returns the
/// file survives a crash. Files are deleted when no message or queue row references them any more.
/// </summary>
public sealed class BlobStore
{
    public BlobStore(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        DataDirectory = Path.GetFullPath(dataDir);
        MessagesDirectory = Path.Combine(DataDirectory, "messages");
        TempDirectory = Path.Combine(DataDirectory, "tmp");
    }

    public string DataDirectory { get; }

    public string MessagesDirectory { get; }

    public string TempDirectory { get; }

    /// <summary>A writer for new content; dispose it (after or instead of committing) to remove its temporary file.</summary>
    public BlobWriter Create()
    {
        Directory.CreateDirectory(TempDirectory);
        return new BlobWriter(this);
    }

    /// <summary>Stores <paramref name="content"/> (copied to the end) and returns its reference.</summary>
    public async Task<BlobRef> WriteAsync(Stream content, CancellationToken ct = default)
    {
        await using var writer = Create();
        await content.CopyToAsync(writer, ct).ConfigureAwait(false);
        return await writer.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stores <paramref name="content"/> and returns its reference.</summary>
    public async Task<BlobRef> WriteAsync(ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        await using var writer = Create();
        await writer.WriteAsync(content, ct).ConfigureAwait(false);
        return await writer.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Opens the content for reading; throws <see cref="NotFoundException"/> when the file is missing.</summary>
    public Stream OpenRead(string hash)
    {
        var path = PathOf(hash);
        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 16 * 1024,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException($"message file {path} is missing");
        }
    }

    public bool Exists(string hash) => File.Exists(PathOf(hash));

    /// <summary>The file of a blob: <c>messages/ab/abcd….eml</c>. Rejects anything but 64 lowercase hex digits.</summary>
    public string PathOf(string hash)
    {
        if (!IsHash(hash))
        {
            throw new InvalidInputException($"'{hash}' is not a SHA-256 hex digest");
        }

        return Path.Combine(MessagesDirectory, hash[..2], hash + ".eml");
    }

    internal static bool IsHash(string? hash) =>
        hash is { Length: 64 } && hash.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Deletes the file; only <see cref="BlobCollector"/> calls this, after checking no row references it.</summary>
    internal void Delete(string hash)
    {
        var path = PathOf(hash);
        File.Delete(path);
    }

    /// <summary>Moves a finished temporary file into place, creating and syncing the fan-out directories.</summary>
    internal void Publish(string tempPath, string hash)
    {
        var final = PathOf(hash);
        var directory = Path.GetDirectoryName(final)!;
        EnsureDirectory(directory);
        File.Move(tempPath, final, overwrite: true);
        DirectorySync.Flush(directory);
    }

    // One level of 256 folders: few enough that all of them exist after the first few hundred messages
    // (no mkdir and parent fsync on the delivery path), and a million messages make ~4,000 files per folder,
    // which ext4 and XFS index by name.
    private readonly bool[] _known = new bool[256];

    private void EnsureDirectory(string directory)
    {
        var slot = Convert.ToInt32(Path.GetFileName(directory), 16);
        if (Volatile.Read(ref _known[slot])) return;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            DirectorySync.Flush(MessagesDirectory);
            DirectorySync.Flush(DataDirectory);
        }
        Volatile.Write(ref _known[slot], true);
    }
}
