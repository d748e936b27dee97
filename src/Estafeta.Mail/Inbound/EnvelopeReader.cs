using System.Text;
using MimeKit;

namespace Estafeta.Mail.Inbound;

/// <summary>Reads the header block of a stored or arriving message with MimeKit.</summary>
public static class EnvelopeReader
{
    public static HeaderList ReadHeaders(Stream content)
    {
        try { return HeaderList.Load(ParserOptions.Default, content); }
        catch (FormatException) { return []; }
    }

    /// <summary>The unfolded raw value of the first field with this name (encoded-words kept), or null.</summary>
    public static string? Raw(HeaderList headers, string name)
    {
        var index = headers.IndexOf(name);
        if (index < 0) return null;
        var raw = Encoding.UTF8.GetString(headers[index].RawValue);
        return raw.Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
    }

    /// <summary>The envelope fields IMAP needs, as raw header values.</summary>
    public static Storage.MessageEnvelope Envelope(HeaderList h) => new(
        Raw(h, "Date"), Raw(h, "Subject"), Raw(h, "From"), Raw(h, "Sender"), Raw(h, "Reply-To"), Raw(h, "To"),
        Raw(h, "Cc"), Raw(h, "Bcc"), Raw(h, "In-Reply-To"), Raw(h, "Message-ID"));

    /// <summary>The addresses of an address field (From, Sender...), parsed leniently.</summary>
    public static IReadOnlyList<string> Addresses(HeaderList headers, HeaderId id)
    {
        var result = new List<string>();
        foreach (var header in headers)
        {
            if (header.Id != id) continue;
            if (!InternetAddressList.TryParse(ParserOptions.Default, header.RawValue, out var list)) continue;
            foreach (var mailbox in list.Mailboxes) result.Add(mailbox.Address);
        }
        return result;
    }
}
