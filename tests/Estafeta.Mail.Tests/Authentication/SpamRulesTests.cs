using Estafeta.Mail.Authentication;
using MimeKit;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class SpamRulesTests
{
    [Theory]
    [InlineData("¡Todo GRATIS este fin de semana!", "gratis")]
    [InlineData("Compra ahora y ahorra", "compra ahora")]
    [InlineData("COMPRA   AHORA", "compra ahora")]
    [InlineData("Una oferta por tiempo limitado.", "oferta por tiempo limitado")]
    [InlineData("Haga clic aquí para verlo", "haga clic aqui")]
    [InlineData("HAGA CLIC AQUI", "haga clic aqui")]
    [InlineData("haz clic aquí", "haz clic aqui")]
    [InlineData("Get it FREE today", "free")]
    [InlineData("Buy now!", "buy now")]
    [InlineData("click-here", "click here")]
    [InlineData("A limited time offer", "limited time offer")]
    [InlineData("Dinero fácil desde casa", "dinero facil")]
    [InlineData("ÚLTIMA OPORTUNIDAD", "ultima oportunidad")]
    public void A_spam_phrase_is_found_whatever_its_case_and_accents(string text, string phrase)
    {
        var reasons = SpamRules.Content(null, text);

        var reason = Assert.Single(reasons);
        Assert.Equal("SPAM_PHRASE", reason.Rule);
        Assert.Equal(SpamPoints.SpamPhrase, reason.Points);
        Assert.Equal($"\"{phrase}\"", reason.Detail);
    }

    [Theory]
    [InlineData("Freedom of speech")]
    [InlineData("Hola Ana, te envío el informe del trimestre.")]
    [InlineData("La gratitud es importante")]
    [InlineData("clickhere is one word")]
    public void Ordinary_text_and_words_that_only_contain_a_phrase_score_nothing(string text)
    {
        Assert.Empty(SpamRules.Content("Informe", text));
    }

    [Fact]
    public void Phrases_in_the_subject_count_too()
    {
        var reasons = SpamRules.Content("Envío GRATIS", "Hola.");

        Assert.Equal("\"gratis\"", Assert.Single(reasons).Detail);
    }

    [Fact]
    public void Spam_phrases_add_up_to_a_maximum()
    {
        var reasons = SpamRules.Content("GRATIS", "compra ahora, oferta por tiempo limitado, haga clic aquí, buy now, click here, free");

        Assert.Equal(SpamPoints.SpamPhrasesMaximum, reasons.Sum(r => r.Points));
    }

    [Fact]
    public void Missing_date_and_message_id_are_each_a_reason()
    {
        var headers = Headers("From: ana@remitente.test\r\nSubject: Hola\r\n\r\n");

        var rules = SpamRules.Header(headers, ["ejemplo.test"]).Select(r => r.Rule).ToList();

        Assert.Equal(["MISSING_DATE", "MISSING_MESSAGE_ID"], rules);
    }

    [Theory]
    [InlineData("\"Soporte ejemplo.test\" <soporte@estafadores.test>", true)]
    [InlineData("\"admin@ejemplo.test\" <x@estafadores.test>", true)]
    [InlineData("\"Soporte ejemplo.test\" <soporte@ejemplo.test>", false)]
    [InlineData("\"Soporte\" <soporte@correo.ejemplo.test>", false)]
    [InlineData("Ana <ana@remitente.test>", false)]
    public void A_from_display_name_naming_a_local_domain_with_an_address_elsewhere_is_a_spoof(string from, bool spoof)
    {
        var headers = Headers($"From: {from}\r\nDate: Thu, 5 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@x.test>\r\nSubject: Aviso\r\n\r\n");

        var rules = SpamRules.Header(headers, ["ejemplo.test"]);

        Assert.Equal(spoof, rules.Any(r => r.Rule == "FROM_NAME_SPOOF"));
    }

    [Theory]
    [InlineData("ÚLTIMO AVISO DE SU CUENTA", true)]
    [InlineData("URGENT!!! 100%", false)]
    [InlineData("Último aviso de su cuenta", false)]
    [InlineData("FACTURA 2026 de Ana", false)]
    public void An_all_capitals_subject_of_at_least_eight_letters_is_a_reason(string subject, bool expected)
    {
        Assert.Equal(expected, SpamRules.IsAllCaps(subject));
    }

    [Fact]
    public void Html_only_mail_is_read_without_its_tags()
    {
        var message = new MimeMessage { Body = new TextPart("html") { Text = "<p>Haga <b>clic</b> aqu&iacute;</p>" } };

        Assert.Contains("haga clic aqui", SpamText.Normalize(SpamRules.Text(message)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_spam_header_lists_the_score_the_threshold_and_every_reason()
    {
        var field = SpamHeader.Field(4.5, 5, ["SPF_SOFTFAIL(+1.5): SPF softfail for x.test", "SPAM_PHRASE(+1.5): \"gratis\""]);

        Assert.Equal("X-Estafeta-Spam: score=4.5; threshold=5.0; reasons=\r\n\tSPF_SOFTFAIL(+1.5): SPF softfail for x.test,\r\n\tSPAM_PHRASE(+1.5): \"gratis\"", field);
    }

    private static HeaderList Headers(string text) => HeaderList.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
}
