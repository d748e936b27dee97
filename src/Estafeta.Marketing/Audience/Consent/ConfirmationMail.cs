using System.Text.Encodings.Web;
using System.Text.Unicode;
using MimeKit;
using MimeKit.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The double opt-in confirmation message, in Spanish for contacts whose language is Spanish (es, es-*) and in
/// English otherwise: plain text and HTML with the same signed link, and how long it stays valid.
/// </summary>
public static class ConfirmationMail
{
    /// <summary>HTML escaping that writes letters of any language as themselves (not &amp;#237; for í).</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private sealed record Text(string Subject, string Greeting, string Body, string Button, string Expiry, string Ignore);

    private static readonly Text Spanish = new(
        "Confirma tu suscripción a {0}",
        "Hola{0}:",
        "Hemos recibido una solicitud para suscribir esta dirección a «{0}». Para confirmarla, abre este enlace:",
        "Confirmar la suscripción",
        "El enlace caduca el {0} (UTC).",
        "Si no lo has pedido tú, ignora este mensaje: no recibirás nada más.");

    private static readonly Text English = new(
        "Confirm your subscription to {0}",
        "Hello{0},",
        "We received a request to subscribe this address to \"{0}\". To confirm it, open this link:",
        "Confirm the subscription",
        "The link expires on {0} (UTC).",
        "If you did not ask for this, ignore this message: you will not hear from us again.");

    public static bool IsSpanish(string? language) => language is not null && (language == "es" || language.StartsWith("es-", StringComparison.Ordinal));

    public static MimeMessage Build(string from, string to, string? name, string? language, MailingList list, string link, DateTimeOffset expires, string hostName)
    {
        var spanish = IsSpanish(language);
        var t = spanish ? Spanish : English;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var greetingName = string.IsNullOrWhiteSpace(name) ? "" : " " + name.Trim();
        var expiry = string.Format(culture, t.Expiry, expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", culture));
        var body = string.Format(culture, t.Body, list.Name);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(name ?? "", to));
        message.Subject = string.Format(culture, t.Subject, list.Name);
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(hostName);
        message.Date = DateTimeOffset.UtcNow;
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = string.Join("\r\n", string.Format(culture, t.Greeting, greetingName), "", body, "", link, "", expiry, "", t.Ignore, "");
        var html = $"""
            <!doctype html><html lang="{(spanish ? "es" : "en")}"><body style="font-family:sans-serif">
            <p>{Html.Encode(string.Format(culture, t.Greeting, greetingName))}</p>
            <p>{Html.Encode(body)}</p>
            <p><a href="{Html.Encode(link)}" style="display:inline-block;padding:10px 16px;background:#0b5;color:#fff;text-decoration:none;border-radius:4px">{Html.Encode(t.Button)}</a></p>
            <p style="font-size:small">{Html.Encode(link)}</p>
            <p style="font-size:small">{Html.Encode(expiry)} {Html.Encode(t.Ignore)}</p>
            </body></html>
            """;
        message.Body = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = text },
            new TextPart(TextFormat.Html) { Text = html },
        };
        return message;
    }
}
