using MimeKit;

namespace Estafeta.MailAuth.Dkim;

/// <summary>The wire bytes DKIM hashes, from a MimeMessage (written once, with CRLF line ends) or a stream.</summary>
internal static class WireBytes
{
    public static ReadOnlyMemory<byte> FromMimeMessage(MimeMessage message, FormatOptions? format)
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
