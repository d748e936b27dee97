namespace Estafeta.Mail.Feedback;

/// <summary>
/// Classifies a failure by its enhanced status code (RFC 3463) and the words of the answer, the way the big
/// providers phrase them: a synchronous 5xx during delivery and a DSN that comes back later go through the same rules.
/// Words win over codes where providers are known to use generic codes (Gmail's "5.7.1 ... spam", Microsoft's
/// "5.7.606 ... blocked", Yahoo's "554 ... [TSS04]").
/// </summary>
public static class BounceClassifier
{
    private static readonly string[] FullWords = ["mailbox full", "mailbox is full", "over quota", "quota exceeded", "exceeded storage", "insufficient storage", "out of storage", "mailbox size limit", "user is over", "inbox is full", "mailfolder is full", "storage allocation"];
    private static readonly string[] BlockedWords = ["spam", "blocked", "blacklist", "blocklist", "block list", "black list", "listed at", "listed on", "dnsbl", "rbl", "spamhaus", "reputation", "junk", "policy", "not authorized to send", "unsolicited", "bulk mail", "[tss", "rejected for", "poor sender", "dmarc", "content rejected", "virus"];
    private static readonly string[] UnknownWords = ["user unknown", "unknown user", "no such user", "does not exist", "doesn't exist", "not exist", "unknown recipient", "invalid recipient", "recipient not found", "address rejected", "no mailbox", "mailbox unavailable", "mailbox not found", "account disabled", "account has been disabled", "inactive", "no longer", "not a valid", "invalid address", "unrouteable", "user not found", "undeliverable address", "bad destination", "host not found", "domain not found", "null mx"];

    public static BounceClass Classify(string? status, string? text)
    {
        var words = (text ?? "").ToLowerInvariant();
        var permanent = status is { Length: > 0 } s ? s[0] == '5' : words.TrimStart().StartsWith('5');
        if (status is "5.2.2" or "4.2.2" || Any(words, FullWords)) return BounceClass.MailboxFull;
        if (Any(words, UnknownWords) && permanent && !Any(words, BlockedWords)) return BounceClass.Hard;
        if (status is { } st && st.StartsWith("5.7.", StringComparison.Ordinal) || Any(words, BlockedWords))
            return permanent || Any(words, BlockedWords) ? BounceClass.Blocked : BounceClass.Soft;
        if (!permanent) return BounceClass.Soft;
        if (status is null) return Any(words, UnknownWords) ? BounceClass.Hard : BounceClass.Soft;
        return status switch
        {
            _ when status.StartsWith("5.1.", StringComparison.Ordinal) => BounceClass.Hard,
            "5.2.1" or "5.4.4" or "5.4.1" => BounceClass.Hard,
            _ when status.StartsWith("5.3.", StringComparison.Ordinal) || status.StartsWith("5.4.", StringComparison.Ordinal)
                || status.StartsWith("5.5.", StringComparison.Ordinal) || status.StartsWith("5.6.", StringComparison.Ordinal) => BounceClass.Soft,
            "5.2.3" => BounceClass.Soft,
            _ => BounceClass.Hard,
        };
    }

    private static bool Any(string text, string[] words)
    {
        foreach (var w in words) if (text.Contains(w, StringComparison.Ordinal)) return true;
        return false;
    }
}
