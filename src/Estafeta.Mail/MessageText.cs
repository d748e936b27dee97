using System.Text;
using MimeKit;

namespace Estafeta.Mail;

/// <summary>The readable text of a message, for the rules that look at words (spam phrases, bounce reasons).</summary>
public static class MessageText
{
    /// <summary>The text/plain body, else the HTML body with its tags removed and entities decoded; "" when neither.</summary>
    public static string Of(MimeMessage message) => message.TextBody ?? StripTags(message.HtmlBody ?? "");

    private static string StripTags(string html)
    {
        var b = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<') inTag = true;
            else if (c == '>') { inTag = false; b.Append(' '); }
            else if (!inTag) b.Append(c);
        }
        return System.Net.WebUtility.HtmlDecode(b.ToString());
    }
}
