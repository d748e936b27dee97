using Estafeta.Marketing.Audience;
using MimeKit;

namespace Estafeta.Marketing.Tests;

public sealed class ConfirmationMailTests
{
    private static readonly MailingList List = new(7, "Novedades <Tienda>", "", true, null, ListStore.DefaultConsentText("Novedades <Tienda>"), DateTimeOffset.UnixEpoch, new Dictionary<string, long>());

    [Theory]
    [InlineData("es", "Confirma tu suscripción a Novedades <Tienda>", "Hola Lucía:", "Confirmar la suscripción")]
    [InlineData("es-MX", "Confirma tu suscripción a Novedades <Tienda>", "Hola Lucía:", "Confirmar la suscripción")]
    [InlineData("en", "Confirm your subscription to Novedades <Tienda>", "Hello Lucía,", "Confirm the subscription")]
    [InlineData(null, "Confirm your subscription to Novedades <Tienda>", "Hello Lucía,", "Confirm the subscription")]
    public void The_mail_is_in_the_contacts_language_with_its_letters_as_themselves_in_the_html(string? language, string subject, string greeting, string button)
    {
        var message = ConfirmationMail.Build("no-reply@ejemplo.test", "lucia@ejemplo.test", "Lucía", language, List, "https://correo.ejemplo.test/confirm/abc", DateTimeOffset.UnixEpoch, "ejemplo.test");

        Assert.Equal(subject, message.Subject);
        Assert.Contains(greeting, message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<p>{greeting}</p>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(button, message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Novedades &lt;Tienda&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Tienda>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://correo.ejemplo.test/confirm/abc\"", message.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Quiero recibir los correos de la lista «Novedades <Tienda>»")]
    [InlineData("ES-es", "Quiero recibir los correos de la lista «Novedades <Tienda>»")]
    [InlineData("en", "I want to receive the emails of the list \"Novedades <Tienda>\"")]
    [InlineData("pt", "I want to receive the emails of the list \"Novedades <Tienda>\"")]
    public void The_default_consent_text_is_given_in_the_readers_language_and_a_lists_own_text_as_written(string language, string start)
    {
        Assert.StartsWith(start, List.ConsentTextIn(language), StringComparison.Ordinal);
        Assert.Equal("Acepto el boletín.", (List with { ConsentText = "Acepto el boletín." }).ConsentTextIn(language));
    }
}
