namespace Estafeta.Smtp;

internal static class MailboxParts
{
    /// <summary>A quoted local part may contain "@", a domain never does: the domain follows the last one.</summary>
    public static string Domain(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? "" : address[(at + 1)..];
    }
}
