namespace Estafeta.Storage;

/// <summary>
/// The result of a conditional flag change: the state of every message found and not refused, ascending by UID,
/// and the UIDs left alone because their modseq was above the caller's UNCHANGEDSINCE (RFC 7162 §3.1.3).
/// </summary>
public sealed record FlagUpdate(IReadOnlyList<MessageSummary> Messages, IReadOnlyList<long> FailedUids);
