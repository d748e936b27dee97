using System.Security.Cryptography;
using System.Text;

namespace Estafeta.Storage.Tests;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "estafeta-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly BlobStore store;

    public BlobStoreTests() => store = new BlobStore(dir);

    public void Dispose()
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Content_is_stored_under_its_sha256_in_fanned_out_folders()
    {
        var bytes = Encoding.UTF8.GetBytes("Subject: hola\r\n\r\ncuerpo\r\n");

        var blob = await store.WriteAsync(bytes);

        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(expected, blob.Hash);
        Assert.Equal(bytes.Length, blob.Size);
        Assert.Equal(Path.Combine(dir, "messages", expected[..2], expected + ".eml"), store.PathOf(blob.Hash));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(blob.Hash)));
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Fact]
    public async Task Identical_content_is_written_once()
    {
        var bytes = Encoding.UTF8.GetBytes("same");
        var first = await store.WriteAsync(bytes);
        var before = File.GetLastWriteTimeUtc(store.PathOf(first.Hash));

        var second = await store.WriteAsync(new MemoryStream(bytes));

        Assert.Equal(first, second);
        Assert.Single(Directory.EnumerateFiles(store.MessagesDirectory, "*.eml", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
        Assert.True(File.GetLastWriteTimeUtc(store.PathOf(first.Hash)) >= before);
    }

    [Fact]
    public async Task Writer_streams_large_content_in_pieces()
    {
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await using var writer = store.Create();
        for (var offset = 0; offset < bytes.Length; offset += 65_000)
        {
            await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(65_000, bytes.Length - offset)));
        }

        var blob = await writer.CommitAsync();

        Assert.Equal(bytes.Length, blob.Size);
        await using var read = store.OpenRead(blob.Hash);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Writer_disposed_without_commit_leaves_nothing_behind()
    {
        await using (var writer = store.Create())
        {
            await writer.WriteAsync(Encoding.UTF8.GetBytes("abandoned"));
        }

        Assert.Empty(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Committed_writer_refuses_more_content()
    {
        await using var writer = store.Create();
        await writer.WriteAsync(Encoding.UTF8.GetBytes("done"));
        await writer.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync(new byte[] { 1 }));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("abc")]
    public void Anything_but_a_lowercase_sha256_is_refused_as_a_blob_name(string hash)
    {
        Assert.Throws<InvalidInputException>(() => store.OpenRead(hash));
    }

    [Fact]
    public void Missing_blob_is_reported_as_not_found()
    {
        Assert.Throws<NotFoundException>(() => store.OpenRead(new string('0', 64)));
        Assert.False(store.Exists(new string('0', 64)));
    }
}
