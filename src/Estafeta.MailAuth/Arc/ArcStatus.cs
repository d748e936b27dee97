namespace Estafeta.MailAuth.Arc;

/// <summary>Chain validation status (RFC 8617 §4.4): the cv= values and the arc= result.</summary>
public enum ArcStatus
{
    None,
    Pass,
    Fail,
}

public static class ArcStatusKeywords
{
    public static string ToKeyword(this ArcStatus status) => status switch
    {
        ArcStatus.Pass => "pass",
        ArcStatus.Fail => "fail",
        _ => "none",
    };

    public static bool TryParse(string? value, out ArcStatus status)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "none": status = ArcStatus.None; return true;
            case "pass": status = ArcStatus.Pass; return true;
            case "fail": status = ArcStatus.Fail; return true;
            default: status = ArcStatus.Fail; return false;
        }
    }
}
