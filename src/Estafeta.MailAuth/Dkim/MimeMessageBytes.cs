using MimeKit;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A MimeMessage as the wire bytes DKIM hashes: written once, with CRLF line ends.</summary>
internal static class MimeMessageBytes
{
    public static ReadOnlyMemory<byte> ToWire(MimeMessage message, FormatOptions? format)
    {
        var options = (format ?? FormatOptions.Default).Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        message.WriteTo(options, buffer);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    public static async Task<ReadOnlyMemory<byte>> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
