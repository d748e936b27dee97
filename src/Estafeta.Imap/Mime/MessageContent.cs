using Estafeta.Imap.Store;

namespace Estafeta.Imap.Mime;

/// <summary>
/// A message's octets in a seekable form for the duration of one FETCH or SEARCH item: in memory up to
/// <see cref="InMemoryLimit"/>, in a temporary file (deleted on dispose) above. Parses the structure on demand,
/// through the shared cache.
/// </summary>
internal sealed class MessageContent : IAsyncDisposable
{
    public const long InMemoryLimit = 4 * 1024 * 1024;

    private readonly StructureCache _cache;
    private readonly ImapMessage _message;
    private MessageNode? _structure;

    private MessageContent(Stream stream, ImapMessage message, StructureCache cache)
    {
        Stream = stream;
        _message = message;
        _cache = cache;
    }

    public Stream Stream { get; }
    public long Length => Stream.Length;

    /// <summary>Copies the message out of the store; null when it was expunged meanwhile.</summary>
    public static async Task<MessageContent?> LoadAsync(IImapMailbox mailbox, ImapMessage message, StructureCache cache, CancellationToken ct)
    {
        var source = await mailbox.OpenContentAsync(message.Uid, ct).ConfigureAwait(false);
        if (source is null) return null;
        await using (source.ConfigureAwait(false))
        {
            Stream copy = message.Size <= InMemoryLimit
                ? new MemoryStream((int)Math.Max(0, message.Size))
                : new FileStream(Path.Combine(Path.GetTempPath(), "estafeta-imap-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            try
            {
                await source.CopyToAsync(copy, ct).ConfigureAwait(false);
                copy.Position = 0;
                return new MessageContent(copy, message, cache);
            }
            catch
            {
                await copy.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>The parsed structure, from the cache or parsed now (and cached).</summary>
    public async Task<MessageNode> StructureAsync(CancellationToken ct)
    {
        if (_structure is not null) return _structure;
        _structure = _cache.Get(_message.ContentId);
        if (_structure is null)
        {
            _structure = await MessageParser.ParseAsync(Stream, ct).ConfigureAwait(false);
            _cache.Add(_message.ContentId, _structure);
        }
        return _structure;
    }

    /// <summary>The octets from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public async Task<byte[]> ReadAsync(long start, long end, CancellationToken ct)
    {
        end = Math.Min(end, Stream.Length);
        if (end <= start) return [];
        var bytes = new byte[end - start];
        Stream.Position = start;
        await Stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
        return bytes;
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
