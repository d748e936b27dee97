namespace Estafeta.MailAuth.Spf;

/// <summary>The qualifier in front of a mechanism (RFC 7208 §4.6.2); "+" when absent.</summary>
public enum SpfQualifier
{
    Pass,
    Fail,
    SoftFail,
    Neutral,
}

public static class SpfQualifierExtensions
{
    public static SpfResult ToResult(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Fail => SpfResult.Fail,
        SpfQualifier.SoftFail => SpfResult.SoftFail,
        SpfQualifier.Neutral => SpfResult.Neutral,
        _ => SpfResult.Pass,
    };

    public static char ToChar(this SpfQualifier qualifier) => qualifier switch
    {
        SpfQualifier.Fail => '-',
        SpfQualifier.SoftFail => '~',
        SpfQualifier.Neutral => '?',
        _ => '+',
    };
}
