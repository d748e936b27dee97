namespace Estafeta.Storage;

/// <summary>
/// Limits for the destinations that match <paramref name="Pattern"/>: a recipient domain (<c>gmail.com</c>),
/// a domain and its subdomains (<c>*.example.com</c>), or an MX host pattern (<c>mx:*.google.com</c>).
/// Zero means no limit for the per-minute and per-connection numbers.
/// </summary>
public sealed record DestinationLimit(string Pattern, int MaxConnections, int MessagesPerMinute = 0, int MessagesPerConnection = 0);
