namespace Estafeta.Storage;

/// <summary>
/// The outbound part of a <see cref="Delivery"/>: the SMTP envelope to relay the message with.
/// <paramref name="EnvelopeSender"/> is the MAIL FROM address (empty for the null sender of bounces);
/// <paramref name="DsnRet"/> and <paramref name="DsnEnvId"/> are MAIL FROM's RET and ENVID;
/// <paramref name="AccountId"/> is the authenticated account that submitted it, if any;
/// <paramref name="NextAttemptAt"/> defaults to now; <paramref name="Verp"/> asks the MTA for a VERP return path
/// (<c>bounce+token@sender-domain</c>) so that every bounce maps back to one recipient (platform mail).
/// </summary>
public sealed record OutboundMessage(
    string EnvelopeSender,
    IReadOnlyList<OutboundRecipient> Recipients,
    long? AccountId = null,
    string? DsnRet = null,
    string? DsnEnvId = null,
    DateTimeOffset? NextAttemptAt = null,
    bool Verp = false);
