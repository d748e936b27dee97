using Estafeta.Mail.Inbound;
using MimeKit;

namespace Estafeta.Mail.Authentication;

/// <summary>Small readers over a message's wire bytes.</summary>
public static class MessageBytes
{
    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream content, CancellationToken ct)
    {
        await using (content)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, 64 * 1024, ct);
            return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        }
    }

    /// <summary>The domain of the first From address (lower case), or null when the message has none.</summary>
    public static string? FromDomain(HeaderList headers)
    {
        var address = EnvelopeReader.Addresses(headers, HeaderId.From).FirstOrDefault();
        if (address is null || address.LastIndexOf('@') is var at && at < 0) return null;
        return address[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
    }

    public static HeaderList Headers(ReadOnlyMemory<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return EnvelopeReader.ReadHeaders(stream);
    }
}
