using System.Text;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>A queued message as it goes out: its bytes (without the Return-Path field), its Message-ID (without
/// angle brackets, for the events) and whether it has bytes above 127 (BODY=8BITMIME).</summary>
public sealed record OutgoingMessage(ReadOnlyMemory<byte> Data, string? MessageId, bool EightBit);

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

    /// <summary>Reads the stored message for sending, byte for byte as it was queued (and DKIM-signed): no parsing.
    /// Throws <see cref="NotFoundException"/> when the file is missing.</summary>
    public static OutgoingMessage Read(BlobStore blobs, string hash)
    {
        byte[] bytes;
        using (var stream = blobs.OpenRead(hash))
        {
            var length = stream.Length;
            if (length > int.MaxValue) throw new IOException($"the queued message {hash} is too large to send ({length} bytes)");
            bytes = new byte[length];
            stream.ReadExactly(bytes);
        }
        var data = bytes.AsMemory(SkipReturnPath(bytes.AsSpan(0, Math.Min(bytes.Length, 8192))));
        return new OutgoingMessage(data, MessageId(data.Span), data.Span.IndexOfAnyExceptInRange((byte)0, (byte)127) >= 0);
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

    /// <summary>The Message-ID of the header (RFC 5322 §3.6.4), unfolded and without its angle brackets; null when
    /// there is none in the header.</summary>
    public static string? MessageId(ReadOnlySpan<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var end = message[position..].IndexOf((byte)'\n');
            var line = end < 0 ? message[position..] : message[position..(position + end)];
            if (line.TrimEnd((byte)'\r').IsEmpty) return null;
            var next = end < 0 ? message.Length : position + end + 1;
            if (line.Length > 11 && Ascii.EqualsIgnoreCase(line[..11], "message-id:"u8))
            {
                var value = new StringBuilder(Encoding.UTF8.GetString(line[11..]));
                // Folded continuation lines belong to the field.
                while (next < message.Length && message[next] is (byte)' ' or (byte)'\t')
                {
                    var more = message[next..].IndexOf((byte)'\n');
                    value.Append(Encoding.UTF8.GetString(more < 0 ? message[next..] : message[next..(next + more)]));
                    next = more < 0 ? message.Length : next + more + 1;
                }
                var id = value.ToString().Trim().Trim('<', '>').Trim();
                var open = id.IndexOf('<');
                return id.Length == 0 ? null : open >= 0 ? id[(open + 1)..].Split('>')[0] : id;
            }
            position = next;
        }
        return null;
    }
}
