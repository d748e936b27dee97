namespace Estafeta.MailAuth.Dkim;

public static class DkimStatusNames
{
    /// <summary>The RFC 8601 result keyword: pass, fail, neutral, policy, temperror, permerror, none.</summary>
    public static string ToKeyword(this DkimStatus status) => status switch
    {
        DkimStatus.None => "none",
        DkimStatus.Pass => "pass",
        DkimStatus.Fail => "fail",
        DkimStatus.Neutral => "neutral",
        DkimStatus.Policy => "policy",
        DkimStatus.TempError => "temperror",
        DkimStatus.PermError => "permerror",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
