using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Auth;

internal enum SaslPlainStatus { Ok, Malformed, AuthorizationIdentityMismatch }

/// <summary>
/// The PLAIN mechanism message (RFC 4616): <c>[authzid] NUL authcid NUL passwd</c>, UTF-8 without CR or LF. We do not let a
/// login act for another identity, so the authzid must be empty or equal to the authcid.
/// </summary>
internal static class SaslPlain
{
    public static SaslPlainStatus TryParse(ReadOnlySpan<byte> message, out Credentials credentials)
    {
        credentials = default;
        var first = message.IndexOf((byte)0);
        if (first < 0) return SaslPlainStatus.Malformed;
        var second = message[(first + 1)..].IndexOf((byte)0);
        if (second < 0) return SaslPlainStatus.Malformed;
        second += first + 1;
        var authzid = message[..first];
        var authcid = message[(first + 1)..second];
        var password = message[(second + 1)..];
        // RFC 4616 §2: each part is 1*SAFE, and SAFE is any UTF-8 character but NUL, CR and LF.
        if (authcid.IsEmpty || password.IsEmpty || password.IndexOf((byte)0) >= 0 || message.IndexOfAny((byte)'\r', (byte)'\n') >= 0 || !Utf8.IsValid(message))
            return SaslPlainStatus.Malformed;
        if (!authzid.IsEmpty && !authzid.SequenceEqual(authcid)) return SaslPlainStatus.AuthorizationIdentityMismatch;
        credentials = new Credentials(Encoding.UTF8.GetString(authcid), Encoding.UTF8.GetString(password));
        return SaslPlainStatus.Ok;
    }
}
