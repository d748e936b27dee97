using MimeKit;

namespace Estafeta.Mail.Authentication;

/// <summary>The header and content rules of the spam score. Pure functions over a parsed message, so the
/// table of rules can be tested without a server.</summary>
public static class SpamRules
{
    /// <summary>How much text of the body the phrase rules read.</summary>
    public const int MaxTextChars = 200_000;

    /// <summary>Rules on the header: missing Date or Message-ID, a From display name that names one of our
    /// domains while the address is elsewhere, an all-capitals Subject.</summary>
    public static List<ScoreReason> Header(HeaderList headers, IReadOnlyCollection<string> localDomains)
    {
        var reasons = new List<ScoreReason>();
        if (!headers.Contains(HeaderId.Date)) reasons.Add(new("MISSING_DATE", SpamPoints.MissingDate, "no Date header field"));
        if (!headers.Contains(HeaderId.MessageId)) reasons.Add(new("MISSING_MESSAGE_ID", SpamPoints.MissingMessageId, "no Message-ID header field"));
        if (DisplayNameSpoof(headers, localDomains) is { } spoof) reasons.Add(spoof);
        var subject = headers[HeaderId.Subject];
        if (subject is not null && IsAllCaps(subject)) reasons.Add(new("SUBJECT_ALL_CAPS", SpamPoints.AllCapsSubject, "the Subject is written in capitals"));
        return reasons;
    }

    /// <summary>Spam phrases in the subject and text: each phrase found once, up to <see cref="SpamPoints.SpamPhrasesMaximum"/>.</summary>
    public static List<ScoreReason> Content(string? subject, string text)
    {
        var found = SpamPhrases.Find(SpamText.Normalize((subject ?? "") + "\n" + text));
        var reasons = new List<ScoreReason>();
        var total = 0.0;
        foreach (var phrase in found)
        {
            var points = Math.Min(SpamPoints.SpamPhrase, SpamPoints.SpamPhrasesMaximum - total);
            if (points <= 0) break;
            total += points;
            reasons.Add(new("SPAM_PHRASE", points, $"\"{SpamText.Normalize(phrase).Trim()}\""));
        }
        return reasons;
    }

    /// <summary>The plain text of a message: its text/plain body, else its HTML with the tags removed.</summary>
    public static string Text(MimeMessage message)
    {
        var text = MessageText.Of(message);
        return text.Length > MaxTextChars ? text[..MaxTextChars] : text;
    }

    public static bool IsAllCaps(string subject)
    {
        var letters = 0;
        foreach (var c in subject)
        {
            if (!char.IsLetter(c)) continue;
            if (char.IsLower(c)) return false;
            letters++;
        }
        return letters >= 8;
    }

    private static ScoreReason? DisplayNameSpoof(HeaderList headers, IReadOnlyCollection<string> localDomains)
    {
        var raw = headers[HeaderId.From];
        if (raw is null || !InternetAddressList.TryParse(raw, out var list)) return null;
        foreach (var mailbox in list.Mailboxes)
        {
            if (string.IsNullOrWhiteSpace(mailbox.Name)) continue;
            var name = mailbox.Name.ToLowerInvariant();
            var addressDomain = mailbox.Domain.ToLowerInvariant();
            foreach (var domain in localDomains)
            {
                if (addressDomain == domain || addressDomain.EndsWith("." + domain, StringComparison.Ordinal)) continue;
                if (name.Contains(domain, StringComparison.Ordinal))
                    return new ScoreReason("FROM_NAME_SPOOF", SpamPoints.DisplayNameSpoof, $"the From name \"{mailbox.Name}\" names {domain} but the address is {mailbox.Address}");
            }
        }
        return null;
    }
}
