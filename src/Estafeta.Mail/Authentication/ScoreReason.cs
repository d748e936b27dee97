using System.Globalization;

namespace Estafeta.Mail.Authentication;

/// <summary>One reason a message scored as spam: the rule that matched and its points.</summary>
public sealed record ScoreReason(string Rule, double Points, string Detail)
{
    /// <summary>As written in X-Estafeta-Spam and the inbound verdict: <c>RULE(+1.5): detail</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rule}(+{Points:0.0#}): {Detail}");
}

/// <summary>The points of each rule: an explainable table, not a trained model.</summary>
public static class SpamPoints
{
    public const double SpfFail = 3.0;
    public const double SpfSoftFail = 1.5;
    public const double SpfPermError = 1.0;
    public const double DkimFail = 2.0;
    public const double DmarcFail = 2.0;
    public const double NoAuthentication = 1.0;
    public const double MissingDate = 1.0;
    public const double MissingMessageId = 1.0;
    public const double DisplayNameSpoof = 3.0;
    public const double AllCapsSubject = 1.5;
    public const double SpamPhrase = 1.5;
    public const double SpamPhrasesMaximum = 6.0;
}
