using Estafeta.Imap.Grammar;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>Reads a mailbox name argument and turns it into the store's form.</summary>
internal static class MailboxArgument
{
    /// <param name="declaresParent">CREATE allows a trailing "/" (RFC 9051 §6.3.4): it is removed.</param>
    public static string Read(Tokenizer t, SessionContext context, bool declaresParent = false)
    {
        var wire = t.AStringBytes();
        if (!t.Ok) return "";
        if (declaresParent && wire.Length > 1 && wire[^1] == MailboxNames.Separator) wire = wire[..^1];
        var name = MailboxNames.FromWire(wire, context.Utf8Names, out var error);
        if (name is null) t.Fail(error);
        return name ?? "";
    }
}
