namespace Estafeta.MailAuth.Dkim;

/// <summary>Who signs: d= <paramref name="Domain"/>, s= <paramref name="Selector"/>, with
/// <paramref name="Key"/>; <paramref name="Identity"/> becomes i= when given (it must be
/// "@" + Domain, a subdomain, or an address in one).</summary>
public sealed record DkimSigningKey(string Domain, string Selector, DkimPrivateKey Key, string? Identity = null);
