using System.Text.RegularExpressions;
using MimeKit;

namespace Estafeta.Mail.Feedback;

/// <summary>
/// Reads bounces: RFC 3464 DSNs (the message/delivery-status part: Final-Recipient, Action, Status, Diagnostic-Code,
/// Remote-MTA) and, failing that, the plain-text bounces many servers still send (Exim, qmail, Microsoft,
/// Gmail, Yahoo...): an enhanced status or SMTP reply code and the failure words in the first text part, and the
/// addresses named there. Returns null for a message that is not a bounce (an auto-reply, a person's answer).
/// </summary>
public static partial class BounceParser
{
    private static readonly string[] FailureWords = ["could not be delivered", "couldn't be delivered", "undeliverable", "undelivered", "delivery has failed", "delivery failed", "failed permanently", "permanent error", "permanent fatal", "returned to sender", "delivery status notification (failure)", "mail delivery failed", "failure notice", "was not delivered", "unable to deliver", "rejected", "user unknown", "does not exist"];
    private static readonly string[] DelayWords = ["delayed", "delivery delayed", "will retry", "still trying", "not yet been delivered", "temporary failure", "warning: message"];

    public static BounceReport? Parse(MimeMessage message)
    {
        var status = message.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is not null && status.StatusGroups.Count > 1) return Standard(status);
        return NonStandard(message);
    }

    private static BounceReport Standard(MessageDeliveryStatus status)
    {
        var recipients = new List<BounceRecipient>();
        foreach (var group in status.StatusGroups.Skip(1))
        {
            var final = Value(group, "Final-Recipient") ?? Value(group, "Original-Recipient");
            var diagnostic = Value(group, "Diagnostic-Code");
            // The fields go on into the outbound events: an address only when it looks like one, a status only when it is
            // one (RFC 3463), the texts one bounded line.
            recipients.Add(new BounceRecipient(
                FeedbackText.Address(AddressPart(final)),
                OneLine.Of(Value(group, "Action"), 100)?.ToLowerInvariant() ?? "failed",
                Value(group, "Status") is { } code && Outbound.EnhancedStatus.TryRead(code, out var read, out _) ? read : null,
                OneLine.Of(diagnostic is null ? null : AddressPart(diagnostic) ?? diagnostic, 1000),
                OneLine.Of(AddressPart(Value(group, "Remote-MTA")), 255)));
        }
        return new BounceReport(true, recipients);
    }

    private static BounceReport? NonStandard(MimeMessage message)
    {
        var text = MessageText.Of(message);
        var lower = (message.Subject + "\n" + text).ToLowerInvariant();
        var failed = FailureWords.Any(w => lower.Contains(w, StringComparison.Ordinal));
        var delayed = !failed && DelayWords.Any(w => lower.Contains(w, StringComparison.Ordinal));
        var reply = ReplyCode().Match(text);
        var status = Outbound.EnhancedStatus.Find(text)
            ?? (reply.Success ? Outbound.EnhancedStatus.Default(int.Parse(reply.Value, System.Globalization.CultureInfo.InvariantCulture)) : null);
        if (status is null && !reply.Success && !failed && !delayed) return null;
        if (!IsFromMailSystem(message) && status is null && !reply.Success) return null;

        var permanent = status?.StartsWith('5') ?? (reply.Success ? reply.Value[0] == '5' : failed);
        var action = permanent ? "failed" : delayed || status?.StartsWith('4') == true || (reply.Success && reply.Value[0] == '4') ? "delayed" : "failed";
        var diagnostic = DiagnosticLine(text, status, reply.Success ? reply.Value : null);
        var addresses = AddressInText().Matches(text).Select(m => FeedbackText.Address(m.Groups[1].Value)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (addresses.Count == 0) addresses.Add(null!);
        return new BounceReport(false, [.. addresses.Take(10).Select(a => new BounceRecipient(a, action, status, diagnostic, null))]);
    }

    private static bool IsFromMailSystem(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address.ToLowerInvariant() ?? "";
        return from.StartsWith("mailer-daemon", StringComparison.Ordinal) || from.StartsWith("postmaster", StringComparison.Ordinal)
            || message.Headers.Contains("X-Failed-Recipients") || message.ResentFrom.Count > 0 || from.Length == 0;
    }

    private static string? DiagnosticLine(string text, string? status, string? reply)
    {
        foreach (var line in text.Split('\n'))
        {
            var l = line.Trim();
            if ((status is not null && l.Contains(status, StringComparison.Ordinal)) || (reply is not null && l.Contains(reply, StringComparison.Ordinal)))
                return OneLine.Of(l, 500);
        }
        return OneLine.Of(text, 300);
    }

    private static string? Value(HeaderList group, string name)
    {
        var i = group.IndexOf(name);
        return i < 0 ? null : group[i].Value.Trim();
    }

    /// <summary>"rfc822; ana@example.com" → ana@example.com; "dns; mx.example.com" → mx.example.com; "smtp; 550 ..." → null.</summary>
    private static string? AddressPart(string? typed)
    {
        if (typed is null) return null;
        var semicolon = typed.IndexOf(';');
        if (semicolon < 0) return typed.Trim().Trim('<', '>');
        var type = typed[..semicolon].Trim().ToLowerInvariant();
        return type is "rfc822" or "dns" or "x-unix" ? typed[(semicolon + 1)..].Trim().Trim('<', '>') : type == "smtp" ? typed[(semicolon + 1)..].Trim() : null;
    }

    [GeneratedRegex(@"(?<![\d.])[45]\d\d(?=[ -])", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyCode();

    // Without backtracking: the text comes from anyone who mails a bounce address, and the backtracking engine took time
    // growing with the square of a run of letters without an address in it (0.6 s for 200 KB, about a minute for 2 MB).
    [GeneratedRegex(@"<?([A-Za-z0-9._%+\-=]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})>?", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex AddressInText();
}
