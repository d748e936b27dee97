namespace Estafeta.Marketing.Audience;

/// <summary>
/// A list people subscribe to. With <see cref="DoubleOptIn"/> a subscription stays unconfirmed until the person
/// follows the link in the confirmation mail. <see cref="Description"/> is shown on forms and preference pages;
/// <see cref="ConsentText"/> is what a person agrees to when subscribing (kept with each consent record);
/// <see cref="FromAddress"/> sends the confirmation mail (default: no-reply at the server's host name).
/// </summary>
public sealed record MailingList(
    long Id,
    string Name,
    string Description,
    bool DoubleOptIn,
    string? FromAddress,
    string ConsentText,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>The consent text to show and record for a reader of <paramref name="language"/>: the list's own text as
    /// written, or, when the list was given none (it holds the generated English default), the default in that
    /// language (Spanish or English).</summary>
    public string ConsentTextIn(string? language) => ConsentTextIn(Name, ConsentText, language);

    /// <summary><see cref="ConsentTextIn(string?)"/> for a list known by its name and stored text.</summary>
    public static string ConsentTextIn(string name, string storedText, string? language) =>
        storedText == ListStore.DefaultConsentText(name) ? ListStore.DefaultConsentText(name, language) : storedText;
}
