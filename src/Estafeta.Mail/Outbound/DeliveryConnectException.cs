namespace Estafeta.Mail.Outbound;

/// <summary>No session with a host: refused, timed out, greeted with 4xx/5xx, or TLS could not be had as required.
/// <see cref="TlsFailure"/> is the RFC 8460 result type when TLS was the reason ("starttls-not-supported", ...).</summary>
public sealed class DeliveryConnectException(SmtpAnswer answer, string? tlsFailure = null, Exception? inner = null)
    : Exception(answer.ToString(), inner)
{
    public SmtpAnswer Answer { get; } = answer;
    public string? TlsFailure { get; } = tlsFailure;
}
