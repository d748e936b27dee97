namespace Estafeta.Mail.Authentication;

/// <summary>ok, missing, wrong, weak (published and working, but not protecting as it should), or pending (a rotation's
/// new DKIM key waiting for its record while mail is signed with the current one: nothing is wrong yet).</summary>
public enum RecordStatus
{
    Ok,
    Missing,
    Wrong,
    Weak,
    Pending,
}

/// <summary>One finding of <c>estafeta domain check</c>: which record, what was found, and the exact fix.
/// <see cref="Required"/> is false for records that improve delivery but are optional (MTA-STS, TLS-RPT).</summary>
public sealed record RecordCheck(string Record, string Name, RecordStatus Status, string Detail, string? Fix = null, bool Required = true)
{
    public bool IsProblem => Required && Status is RecordStatus.Missing or RecordStatus.Wrong;
}
