namespace Estafeta.Marketing.Audience;

/// <summary>Well-known throwaway-mailbox services. Addresses there are accepted but marked risky.</summary>
public static class DisposableDomains
{
    private static readonly HashSet<string> Domains = new(StringComparer.OrdinalIgnoreCase)
    {
        "mailinator.com", "mailinator.net", "guerrillamail.com", "guerrillamail.net", "guerrillamail.org",
        "guerrillamail.biz", "guerrillamail.de", "sharklasers.com", "grr.la", "spam4.me", "10minutemail.com",
        "10minutemail.net", "20minutemail.com", "tempmail.com", "temp-mail.org", "temp-mail.io", "tempmail.net",
        "tempail.com", "tmpmail.org", "tmpmail.net", "yopmail.com", "yopmail.fr", "yopmail.net", "trashmail.com",
        "trashmail.de", "trash-mail.com", "getnada.com", "nada.email", "dispostable.com", "maildrop.cc",
        "throwawaymail.com", "fakeinbox.com", "mintemail.com", "mohmal.com", "emailondeck.com", "spamgourmet.com",
        "mailnesia.com", "jetable.org", "mytemp.email", "tempr.email", "discard.email", "mailcatch.com",
        "33mail.com", "moakt.com", "burnermail.io", "anonbox.net", "spambox.us", "mailpoof.com", "emailfake.com",
        "fakemail.net", "inboxkitten.com", "mail.tm", "dropmail.me", "tempinbox.com", "spamdecoy.net",
    };

    public static bool Contains(string domain) => Domains.Contains(domain);
}
