using System.Text;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// The bytes of a queued message as they go out: the stored file without a leading Return-Path field (RFC 5321 §4.4:
/// only final delivery adds one; the MX and submission paths store it first).
/// </summary>
public static class QueuedContent
{
    private static readonly byte[] ReturnPath = Encoding.ASCII.GetBytes("return-path:");

    public static Stream Open(BlobStore blobs, string hash)
    {
        var stream = blobs.OpenRead(hash);
        try
        {
            var head = new byte[8192];
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = SkipReturnPath(head.AsSpan(0, read));
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public static MimeMessage Load(BlobStore blobs, string hash, CancellationToken ct)
    {
        using var stream = Open(blobs, hash);
        return MimeMessage.Load(ParserOptions.Default, stream, persistent: false, ct);
    }

    /// <summary>Where the content starts: after a first field named Return-Path and its folded lines, else 0.</summary>
    public static int SkipReturnPath(ReadOnlySpan<byte> head)
    {
        if (head.Length < ReturnPath.Length) return 0;
        for (var i = 0; i < ReturnPath.Length; i++)
            if ((head[i] | 0x20) != ReturnPath[i] && !(head[i] == ':' && ReturnPath[i] == ':') && head[i] != '-') return 0;
        for (var i = ReturnPath.Length; i < head.Length; i++)
        {
            if (head[i] != '\n') continue;
            if (i + 1 < head.Length && head[i + 1] is (byte)' ' or (byte)'\t') continue;
            return i + 1;
        }
        return 0;
    }
}
