namespace Estafeta.Mail.Authentication;

/// <summary>ok, missing, wrong, or weak (published and working, but not protecting as it should).</summary>
public enum RecordStatus
{
    Ok,
    Missing,
    Wrong,
    Weak,
}

/// <summary>One finding of <c>estafeta domain check</c>: which record, what was found, and the exact fix.
/// <see cref="Required"/> is false for records that improve delivery but are optional (MTA-STS, TLS-RPT).</summary>
public sealed record RecordCheck(string Record, string Name, RecordStatus Status, string Detail, string? Fix = null, bool Required = true)
{
    public bool IsProblem => Required && Status is RecordStatus.Missing or RecordStatus.Wrong;
}
