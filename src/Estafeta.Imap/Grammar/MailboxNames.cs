using System.Text;

namespace Estafeta.Imap.Grammar;

/// <summary>
/// Mailbox names between the wire and the store: "/" separates levels; INBOX is case-insensitive (also as
/// the first level, "inbox/x" is "INBOX/x"); names are Unicode NFC. IMAP4rev1 clients use modified UTF-7;
/// after ENABLE UTF8=ACCEPT or IMAP4rev2 names are UTF-8 on the wire.
/// </summary>
internal static class MailboxNames
{
    public const string Inbox = "INBOX";
    public const char Separator = '/';
    public const int MaxLength = 512;

    /// <summary>The store's form of a name from the wire, or null with the reason it cannot be a name.</summary>
    public static string? FromWire(byte[] wire, bool utf8, out string error)
    {
        error = "";
        string name;
        var ascii = wire.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xff) < 0;
        if (!ascii)
        {
            if (!System.Text.Unicode.Utf8.IsValid(wire))
            {
                error = "The mailbox name is not valid UTF-8";
                return null;
            }
            name = Encoding.UTF8.GetString(wire);
        }
        else if (utf8)
        {
            name = Encoding.ASCII.GetString(wire);
        }
        else if (!ModifiedUtf7.TryDecode(Encoding.ASCII.GetString(wire), out name))
        {
            error = "The mailbox name is not valid modified UTF-7";
            return null;
        }
        return Normalize(name, out error);
    }

    /// <summary>The checked, normalised name, or null with the reason.</summary>
    public static string? Normalize(string name, out string error)
    {
        error = "";
        // Modified UTF-7 carries UTF-16 code units, so "&2AA-" decodes to a lone surrogate and "&,,4-" to U+FFFE, which
        // string.Normalize throws on (.NET refuses both as invalid code points).
        try
        {
            name = name.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            error = "The mailbox name is not valid Unicode";
            return null;
        }
        if (name.Length == 0) error = "The mailbox name is empty";
        else if (name.Length > MaxLength) error = $"The mailbox name is longer than {MaxLength} characters";
        else if (name[0] == Separator || name[^1] == Separator || name.Contains("//", StringComparison.Ordinal))
            error = "The mailbox name has an empty level between '/' separators";
        else if (name.Any(c => char.IsControl(c) || c is '*' or '%'))
            error = "The mailbox name contains '*', '%' or a control character";
        if (error.Length > 0) return null;
        return CanonicalInbox(name);
    }

    /// <summary>"inbox" and "Inbox/x" become "INBOX" and "INBOX/x".</summary>
    public static string CanonicalInbox(string name)
    {
        var slash = name.IndexOf(Separator);
        var first = slash < 0 ? name : name[..slash];
        return first.Equals(Inbox, StringComparison.OrdinalIgnoreCase) ? Inbox + name[first.Length..] : name;
    }

    public static string ToWire(string name, bool utf8) => utf8 ? name : ModifiedUtf7.Encode(name);

    public static bool IsInbox(string name) => name == Inbox;
}
