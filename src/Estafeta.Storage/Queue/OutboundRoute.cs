namespace Estafeta.Storage;

/// <summary>
/// A routing-table entry, like a Postfix transport map: mail for <paramref name="Destination"/> (a domain, or
/// <c>*</c> for every domain without an entry of its own) goes to <paramref name="Host"/>:<paramref name="Port"/>
/// instead of the domain's MX. <paramref name="TlsRequired"/> refuses to send without STARTTLS; a user and password
/// make it a smart host with AUTH.
/// </summary>
public sealed record OutboundRoute(string Destination, string Host, int Port, bool TlsRequired = false, string? AuthUser = null, string? AuthPassword = null);
