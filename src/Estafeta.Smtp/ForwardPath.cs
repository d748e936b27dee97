namespace Estafeta.Smtp;

/// <summary>One recipient of a transaction (RCPT TO) with its DSN parameters. A source route is
/// dropped; the bare "Postmaster" (RFC 5321 §4.1.1.3) has no domain.</summary>
public sealed record ForwardPath(string Address)
{
    /// <summary>The domain after the last "@" ("" for the bare Postmaster).</summary>
    public string Domain => MailboxParts.Domain(Address);

    /// <summary>NOTIFY= (RFC 3461); null when not given.</summary>
    public DsnNotify? Notify { get; init; }

    /// <summary>ORCPT= (RFC 3461).</summary>
    public OriginalRecipient? OriginalRecipient { get; init; }
}
