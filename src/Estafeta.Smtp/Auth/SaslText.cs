using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Auth;

/// <summary>A user name or password sent on its own (the LOGIN mechanism): UTF-8 without NUL, CR or LF. LOGIN has no RFC;
/// the characters PLAIN keeps out (RFC 4616 §2) are kept out here too, so that no line break reaches the account
/// look-up or the failed-login log line by one mechanism when the other refuses it.</summary>
internal static class SaslText
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (bytes.IsEmpty || bytes.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') >= 0 || !Utf8.IsValid(bytes))
        {
            text = "";
            return false;
        }
        text = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
