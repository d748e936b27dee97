namespace Estafeta.Mail.Outbound;

/// <summary>One per-recipient block of a DSN (RFC 3464 §2.3). <see cref="Action"/>: failed, delayed, delivered,
/// relayed or expanded.</summary>
public sealed record DsnRecipient(
    string Address,
    string? Orcpt,
    string Action,
    string Status,
    string? RemoteMta,
    string? Diagnostic,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? WillRetryUntil = null);
