using Estafeta.Net;

namespace Estafeta.Smtp.Auth;

/// <summary>The PLAIN mechanism message (RFC 4616) as SMTP's AUTH decodes it, read by the parser IMAP and POP3 share
/// (<see cref="Estafeta.Net.SaslPlain.TryParse"/>): <c>[authzid] NUL authcid NUL passwd</c>, UTF-8 without CR or LF; the
/// authzid must be empty or equal to the authcid.</summary>
internal static class SaslPlain
{
    public static SaslPlainStatus TryParse(ReadOnlySpan<byte> message, out Credentials credentials)
    {
        var status = Estafeta.Net.SaslPlain.TryParse(message, out var parsed, out _);
        credentials = parsed is null ? default : new Credentials(parsed.Login, parsed.Password);
        return status;
    }
}
