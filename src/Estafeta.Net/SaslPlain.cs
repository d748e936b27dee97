using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Estafeta.Net;

/// <summary>A login and password from SASL PLAIN. <see cref="ToString"/> never shows the password.</summary>
public sealed record SaslPlainCredentials(string Login, string Password)
{
    public override string ToString() => $"SaslPlainCredentials({Login})";
}

public enum SaslPlainStatus { Ok, Malformed, AuthorizationIdentityMismatch }

/// <summary>The SASL PLAIN message (RFC 4616) as IMAP and POP3 receive it: base64 of authzid NUL authcid NUL
/// passwd, each UTF-8. Only an empty authorization identity, or one equal to the login, is accepted:
/// logging in as someone else is not offered.</summary>
public static class SaslPlain
{
    public static bool TryDecode(string encoded, [NotNullWhen(true)] out SaslPlainCredentials? credentials, out string error) =>
        TryDecode(Encoding.Latin1.GetBytes(encoded), out credentials, out error);

    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out SaslPlainCredentials? credentials, out string error)
    {
        credentials = null;
        if (encoded.Length == 0 || encoded.SequenceEqual("="u8))
        {
            error = "Empty SASL PLAIN response";
            return false;
        }
        if (!Base64.IsValid(encoded, out var length) || encoded.IndexOfAny(" \t\r\n"u8) >= 0)
        {
            error = "SASL response is not valid base64";
            return false;
        }
        var decoded = new byte[length];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != System.Buffers.OperationStatus.Done || written != length)
        {
            error = "SASL response is not valid base64";
            return false;
        }
        if (TryParse(decoded, out var parsed, out error) == SaslPlainStatus.Ok && parsed is not null)
        {
            credentials = parsed;
            return true;
        }
        return false;
    }

    /// <summary>The decoded message: <c>[authzid] NUL authcid NUL passwd</c>, each part 1*SAFE (RFC 4616 §2: any UTF-8
    /// character but NUL, CR and LF). SMTP reads its base64 itself and answers a foreign authorization identity apart,
    /// recording the refused login: with <see cref="SaslPlainStatus.AuthorizationIdentityMismatch"/> the credentials are
    /// given too.</summary>
    public static SaslPlainStatus TryParse(ReadOnlySpan<byte> message, out SaslPlainCredentials? credentials, out string error)
    {
        credentials = null;
        var first = message.IndexOf((byte)0);
        var second = first < 0 ? -1 : message[(first + 1)..].IndexOf((byte)0);
        if (first < 0 || second < 0 || message[(first + 1 + second + 1)..].IndexOf((byte)0) >= 0)
        {
            error = "SASL PLAIN response must be authzid NUL authcid NUL passwd";
            return SaslPlainStatus.Malformed;
        }
        var authzid = message[..first];
        var authcid = message.Slice(first + 1, second);
        var password = message[(first + 1 + second + 1)..];
        if (authcid.Length == 0 || password.Length == 0 || !Utf8.IsValid(authzid) || !Utf8.IsValid(authcid) || !Utf8.IsValid(password))
        {
            error = "SASL PLAIN login and password must be non-empty UTF-8";
            return SaslPlainStatus.Malformed;
        }
        // RFC 4616 §2: each part is 1*SAFE, any UTF-8 character but NUL, CR and LF. A login with a line break would reach the
        // account look-up and the failed-login log line.
        if (message.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
        {
            error = "SASL PLAIN login and password may not hold CR or LF";
            return SaslPlainStatus.Malformed;
        }
        credentials = new SaslPlainCredentials(Encoding.UTF8.GetString(authcid), Encoding.UTF8.GetString(password));
        if (authzid.Length > 0 && !authzid.SequenceEqual(authcid))
        {
            error = "Logging in as another user is not supported";
            return SaslPlainStatus.AuthorizationIdentityMismatch;
        }
        error = "";
        return SaslPlainStatus.Ok;
    }
}
