using MimeKit;

namespace Estafeta.MailAuth.Arc;

/// <summary>A MimeMessage as the CRLF wire bytes ARC hashes.</summary>
internal static class ArcWire
{
    public static ReadOnlyMemory<byte> FromMimeMessage(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        message.WriteTo(options, buffer);
        return buffer.ToArray();
    }
}
