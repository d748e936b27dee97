namespace Estafeta.Storage;

/// <summary>
/// One try at handing a message (or one of its recipients, <paramref name="Recipient"/>) to a remote server:
/// where it went, whether the session was encrypted (<paramref name="Tls"/>: "TLSv1.3 TLS_AES_256_GCM_SHA384",
/// "none", ...), the outcome ("delivered", "deferred", "bounced") and the remote answer as it came.
/// </summary>
public sealed record DeliveryAttempt(
    DateTimeOffset At,
    string Destination,
    string Outcome,
    string? Reply,
    string? Recipient = null,
    string? MxHost = null,
    string? MxAddress = null,
    string? Tls = null);
