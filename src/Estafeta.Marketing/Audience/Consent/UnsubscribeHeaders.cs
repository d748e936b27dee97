namespace Estafeta.Marketing.Audience;

/// <summary>
/// The header field values every list mail carries (RFC 2369, RFC 8058): <c>List-Unsubscribe</c> with the
/// one-click https URL and the mailto address, and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>.
/// The https URL must be covered by the DKIM signature (sign both fields).
/// </summary>
public sealed record UnsubscribeHeaders(string ListUnsubscribe, string ListUnsubscribePost)
{
    public const string OneClick = "List-Unsubscribe=One-Click";

    public static UnsubscribeHeaders For(AudienceLinks links, long contactId, MailingList list) =>
        new($"<{links.Unsubscribe(contactId, list.Id)}>, <mailto:{links.UnsubscribeAddress(contactId, list.Id, list.FromAddress)}?subject=unsubscribe>", OneClick);
}
