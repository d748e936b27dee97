using System.IO.Compression;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Reads the first member of a gzip file (RFC 1952) by hand: header, then raw deflate.
/// Unlike GZipStream this tolerates bytes after the member (some reporters append a CRLF).</summary>
internal static class GzipMember
{
    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0x1f && data[1] == 0x8b && data[2] == 8;

    public static bool TryDecompress(byte[] data, ExpansionBudget budget, out byte[] output, out string error)
    {
        output = [];
        if (!TrySkipHeader(data, out var offset, out error)) return false;
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(data, offset, data.Length - offset), CompressionMode.Decompress);
            return BoundedCopy.TryReadAll(deflate, budget, out output, out error);
        }
        catch (InvalidDataException e)
        {
            error = "the gzip data is corrupt: " + e.Message;
            return false;
        }
    }

    private static bool TrySkipHeader(byte[] data, out int offset, out string error)
    {
        const int HeaderCrc = 2, Extra = 4, Name = 8, Comment = 16;
        offset = 10;
        error = string.Empty;
        if (data.Length < 10)
        {
            error = "the gzip data is truncated in its header";
            return false;
        }
        var flags = data[3];
        if ((flags & Extra) != 0)
        {
            if (offset + 2 > data.Length) return Truncated(out error);
            offset += 2 + (data[offset] | data[offset + 1] << 8);
        }
        if ((flags & Name) != 0) offset = SkipZeroTerminated(data, offset);
        if ((flags & Comment) != 0) offset = SkipZeroTerminated(data, offset);
        if ((flags & HeaderCrc) != 0) offset += 2;
        return offset <= data.Length || Truncated(out error);
    }

    private static int SkipZeroTerminated(byte[] data, int offset)
    {
        var end = Array.IndexOf(data, (byte)0, Math.Min(offset, data.Length));
        return end < 0 ? data.Length + 1 : end + 1;
    }

    private static bool Truncated(out string error)
    {
        error = "the gzip data is truncated in its header";
        return false;
    }
}
