using System.Globalization;
using System.Text;

namespace Estafeta.Mail.Authentication;

/// <summary>The X-Estafeta-Spam field recorded with every message the MX stores: the score, the threshold
/// and each reason, e.g. <c>X-Estafeta-Spam: score=4.5; threshold=5.0; reasons=SPF_SOFTFAIL(+1.5): ...</c>.</summary>
public static class SpamHeader
{
    public const string FieldName = "X-Estafeta-Spam";

    /// <summary>The field without its final CRLF, folded before each reason.</summary>
    public static string Field(double score, double threshold, IReadOnlyList<string> reasons)
    {
        var b = new StringBuilder(FieldName).Append(": ")
            .Append(string.Create(CultureInfo.InvariantCulture, $"score={score:0.0#}; threshold={threshold:0.0#}; reasons="));
        if (reasons.Count == 0) return b.Append("none").ToString();
        for (var i = 0; i < reasons.Count; i++)
        {
            if (i > 0) b.Append(',');
            b.Append("\r\n\t").Append(Clean(reasons[i]));
        }
        return b.ToString();
    }

    /// <summary>A reason goes into a header: no line breaks, no control characters.</summary>
    private static string Clean(string reason)
    {
        var b = new StringBuilder(reason.Length);
        foreach (var c in reason) b.Append(char.IsControl(c) ? ' ' : c);
        return b.ToString();
    }
}
