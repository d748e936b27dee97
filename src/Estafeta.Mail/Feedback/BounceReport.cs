namespace Estafeta.Mail.Feedback;

/// <summary>One recipient block of a bounce: the address it names (when it does), the action (failed, delayed,
/// delivered, relayed), the status code, the diagnostic text and the server that gave it.</summary>
public sealed record BounceRecipient(string? Address, string Action, string? Status, string? Diagnostic, string? RemoteMta)
{
    public BounceClass Class => Feedback.BounceClassifier.Classify(Status, Diagnostic);
}

/// <summary>A parsed bounce. <see cref="Standard"/> is true for an RFC 3464 DSN, false for a provider's own format
/// read from its text.</summary>
public sealed record BounceReport(bool Standard, IReadOnlyList<BounceRecipient> Recipients);
