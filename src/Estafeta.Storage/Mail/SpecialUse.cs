namespace Estafeta.Storage;

/// <summary>RFC 6154 special-use attributes, as IMAP writes them.</summary>
public static class SpecialUse
{
    public const string Sent = "\\Sent";
    public const string Drafts = "\\Drafts";
    public const string Junk = "\\Junk";
    public const string Trash = "\\Trash";
    public const string Archive = "\\Archive";
    public const string All = "\\All";
    public const string Flagged = "\\Flagged";
}
