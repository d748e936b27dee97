using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Auth;

/// <summary>A user name or password sent on its own (the LOGIN mechanism): UTF-8 without NUL.</summary>
internal static class SaslText
{
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (bytes.IsEmpty || bytes.IndexOf((byte)0) >= 0 || !Utf8.IsValid(bytes))
        {
            text = "";
            return false;
        }
        text = Encoding.UTF8.GetString(bytes);
        return true;
    }
}
