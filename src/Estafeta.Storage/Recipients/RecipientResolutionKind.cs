namespace Estafeta.Storage;

public enum RecipientResolutionKind
{
    /// <summary>The domain is not one of ours: relay only for authenticated senders.</summary>
    NotLocalDomain,

    /// <summary>Our domain, but no account, alias or catch-all takes the address (SMTP 550 5.1.1).</summary>
    UnknownUser,

    /// <summary>Deliver to <see cref="RecipientResolution.AccountIds"/> and forward to <see cref="RecipientResolution.RemoteTargets"/>.</summary>
    Local,

    /// <summary>Aliases loop or nest deeper than the limit and lead nowhere else (SMTP 550 5.4.6).</summary>
    AliasLoop,

    /// <summary>The domain's DMARC aggregate report address: the message goes to report intake, not to a mailbox.</summary>
    DmarcReports,

    /// <summary>The domain's TLS report address (RFC 8460): the message goes to TLS report intake, not to a mailbox.</summary>
    TlsReports,
}
