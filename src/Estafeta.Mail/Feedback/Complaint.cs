namespace Estafeta.Mail.Feedback;

/// <summary>An ARF report (RFC 5965): the feedback type (abuse, fraud, virus, other...), who sent it, and what it
/// says about the original message: its envelope sender and recipient, its Message-ID and Return-Path.</summary>
public sealed record Complaint(
    string FeedbackType,
    string? UserAgent,
    string? OriginalMailFrom,
    string? OriginalRcptTo,
    string? OriginalMessageId,
    string? OriginalReturnPath,
    IReadOnlyList<string> OriginalTo);
