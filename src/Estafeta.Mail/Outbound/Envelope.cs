namespace Estafeta.Mail.Outbound;

/// <summary>One recipient of a delivery, with its queue row id and its RFC 3461 parameters as queued.</summary>
public sealed record EnvelopeRecipient(long Id, string Address, string? Notify, string? Orcpt);

/// <summary>The SMTP envelope of one delivery: MAIL FROM (empty for the null sender), RET and ENVID, and the
/// recipients that go to one destination.</summary>
public sealed record Envelope(string Sender, IReadOnlyList<EnvelopeRecipient> Recipients, string? Ret, string? EnvId);

/// <summary>What the remote server said about each recipient (by queue row id). <see cref="ConnectionUsable"/> is
/// false when the session cannot take another message (dropped, 421, timeout).</summary>
public sealed record SendResult(IReadOnlyDictionary<long, SmtpAnswer> Answers, bool ConnectionUsable);
