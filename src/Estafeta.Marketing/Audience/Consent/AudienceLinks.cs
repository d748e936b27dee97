using System.Globalization;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The public addresses of the consent pages and the unsubscribe mailbox. The base URL is the configured public
/// URL (or the bound HTTP address); links never take their host from a request, so they cannot be pointed elsewhere.
/// </summary>
public sealed class AudienceLinks(Func<Uri> baseUrl, ConsentTokens tokens, string hostName)
{
    /// <summary>The local part that starts the unsubscribe addresses: <c>unsubscribe+TOKEN@domain</c>.</summary>
    public const string UnsubscribeLocalPart = "unsubscribe";

    public ConsentTokens Tokens => tokens;

    public Uri Base => baseUrl();

    public string HostName => hostName;

    public string Confirm(string token) => Url($"confirm/{token}");

    public string Unsubscribe(long contactId, long listId) => Url($"unsubscribe/{tokens.Create(TokenPurpose.Unsubscribe, contactId, listId)}");

    public string Preferences(long contactId) => Url($"preferences/{tokens.Create(TokenPurpose.Preferences, contactId, 0)}");

    public string SubscribePage(long listId) => Url("subscribe/" + listId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The address a mail client writes to for an unsubscribe (RFC 2369 mailto), at the list's sending domain.</summary>
    public string UnsubscribeAddress(long contactId, long listId, string? fromAddress) =>
        $"{UnsubscribeLocalPart}+{tokens.Create(TokenPurpose.Unsubscribe, contactId, listId)}@{(fromAddress is null ? hostName : MailAddressCanonical.DomainOf(fromAddress))}";

    /// <summary>The token of an unsubscribe address, or null when the address is not one.</summary>
    public static string? TokenOfAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0) return null;
        var local = address[..at];
        var prefix = UnsubscribeLocalPart + "+";
        return local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && local.Length > prefix.Length ? local[prefix.Length..] : null;
    }

    private string Url(string path)
    {
        var b = baseUrl().ToString();
        return (b.EndsWith('/') ? b : b + "/") + path;
    }
}
