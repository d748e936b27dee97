using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Estafeta.Marketing.Audience;
using MailKit.Security;
using MimeKit;

namespace Estafeta.EndToEnd.Audience;

/// <summary>
/// Every consent flow through real HTTP and real mail: the hosted form with its bot protection, the double opt-in
/// mail read back over POP3 in Spanish and English, confirmation, resend, one-click and page unsubscribes, the
/// mailto unsubscribe through our MX, and the preference centre.
/// </summary>
public sealed partial class ConsentFlowTests(AudienceServerFixture server) : IClassFixture<AudienceServerFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A form stamp as the page would have served it some seconds ago (a person takes a moment to fill a form).</summary>
    private string StampServedAgo(long listId, TimeSpan ago) =>
        server.Tokens.Create(TokenPurpose.Form, 0, listId, DateTimeOffset.UtcNow - ago + TimeSpan.FromDays(1));

    private Task<HttpResponseMessage> SubmitAsync(long listId, string email, string? stamp = null, string language = "es", string honeypot = "", string consent = "yes") =>
        server.Api.PostAsync($"subscribe/{listId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["name"] = "Lectora", ["language"] = language, ["website"] = honeypot, ["consent"] = consent,
            ["ts"] = stamp ?? StampServedAgo(listId, TimeSpan.FromSeconds(8)),
        }));

    private async Task<JsonElement> SubscriptionAsync(long listId, long contactId)
    {
        var page = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{contactId}/subscriptions");
        return page.EnumerateArray().Single(s => s.GetProperty("listId").GetInt64() == listId);
    }

    private async Task<long> ContactIdAsync(string email) =>
        (await server.Audience.Contacts.FindAsync(email))?.Id ?? throw new InvalidOperationException($"no contact {email}");

    [Fact]
    public async Task Double_opt_in_through_the_hosted_form_sends_a_spanish_mail_whose_link_confirms()
    {
        var listName = Unique("Boletín");
        var listId = await server.NewListAsync(listName, doubleOptIn: true, from: "noticias@ejemplo.test");
        var page = await server.Api.GetStringAsync($"subscribe/{listId}");
        Assert.Contains("name=\"website\"", page, StringComparison.Ordinal);
        Assert.Matches("name=\"ts\" value=\"f0-\\d+-\\d+-[0-9a-f]{32}\"", page);

        var submitted = await SubmitAsync(listId, "lectora@ejemplo.test");
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Contains("Revisa tu correo", await submitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var contactId = await ContactIdAsync("lectora@ejemplo.test");
        Assert.Equal("unconfirmed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());

        var mail = Assert.Single(await MailboxReader.MessagesAsync(server, "lectora@ejemplo.test", listName));
        Assert.Equal($"Confirma tu suscripción a {listName}", mail.Subject);
        Assert.Equal("noticias@ejemplo.test", mail.From.Mailboxes.Single().Address);
        var link = MailboxReader.ConfirmationLink(mail);
        Assert.StartsWith($"http://{server.Endpoint}/confirm/", link, StringComparison.Ordinal);

        var confirmPage = await server.Api.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode);
        Assert.Equal("unconfirmed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());
        var confirmed = await server.Api.PostAsync(link, null);
        Assert.Contains("Suscripción confirmada", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("subscribed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());

        var consent = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{contactId}/consent");
        var records = consent.EnumerateArray().Where(r => r.GetProperty("listId").GetInt64() == listId).ToList();
        Assert.Equal(["unconfirmed", "subscribed"], records.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("form", records[0].GetProperty("evidence").GetProperty("kind").GetString());
        Assert.Equal("127.0.0.1", records[0].GetProperty("evidence").GetProperty("ip").GetString());
        Assert.Equal("link", records[1].GetProperty("evidence").GetProperty("kind").GetString());
        Assert.Contains(listName, records[1].GetProperty("evidence").GetProperty("consentText").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spanish_page_shows_and_records_the_default_consent_text_in_spanish_and_a_list_own_text_as_written()
    {
        var listName = Unique("Ofertas");
        var listId = await server.NewListAsync(listName, doubleOptIn: true);
        using var spanish = new HttpRequestMessage(HttpMethod.Get, $"subscribe/{listId}") { Headers = { { "Accept-Language", "es-ES,es;q=0.9" } } };
        var page = await (await server.Api.SendAsync(spanish)).Content.ReadAsStringAsync();
        var texto = $"Quiero recibir los correos de la lista «{listName}» y sé que puedo darme de baja en cualquier momento con el enlace de cada correo.";
        Assert.Contains(texto, page, StringComparison.Ordinal);
        Assert.DoesNotContain("I want to receive", page, StringComparison.Ordinal);
        Assert.Contains("name=\"shown\" value=\"es\"", page, StringComparison.Ordinal);

        const string email = "lectora@ejemplo.test";
        var submitted = await server.Api.PostAsync($"subscribe/{listId}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["name"] = "Lucía", ["language"] = "es", ["website"] = "", ["consent"] = "yes", ["shown"] = "es",
            ["ts"] = StampServedAgo(listId, TimeSpan.FromSeconds(8)),
        }));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var link = MailboxReader.ConfirmationLink(Assert.Single(await MailboxReader.MessagesAsync(server, email, listName)));
        Assert.Equal(HttpStatusCode.OK, (await server.Api.PostAsync(link, null)).StatusCode);
        var consent = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{await ContactIdAsync(email)}/consent");
        var texts = consent.EnumerateArray().Where(r => r.GetProperty("listId").GetInt64() == listId)
            .Select(r => r.GetProperty("evidence").GetProperty("consentText").GetString());
        Assert.Equal([texto, texto], texts);

        // A list's own text is shown as written, whatever the page's language.
        var own = (await server.PostJsonAsync("api/v1/lists", new { name = Unique("Club"), consentText = "Acepto el boletín semanal del club." })).GetProperty("id").GetInt64();
        using var english = new HttpRequestMessage(HttpMethod.Get, $"subscribe/{own}") { Headers = { { "Accept-Language", "en" } } };
        Assert.Contains("Acepto el boletín semanal del club.", await (await server.Api.SendAsync(english)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_of_our_own_domain_without_a_mailbox_is_told_it_cannot_receive_the_confirmation()
    {
        var listId = await server.NewListAsync(Unique("Avisos"), doubleOptIn: true);
        var email = $"{Unique("nadie")}@ejemplo.test";

        var submitted = await SubmitAsync(listId, email);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, submitted.StatusCode);
        var problem = await server.Api.PostAsJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email = $"{Unique("tampoco")}@ejemplo.test" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.StatusCode);
        Assert.Contains("cannot receive mail", await problem.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_over_1_mb_is_answered_413_without_reaching_the_list()
    {
        var listId = await server.NewListAsync(Unique("Grande"), doubleOptIn: false);
        // Expect: 100-continue, as a client sending a large body should: the server answers 413 from the length alone,
        // and closes the connection; a client still sending the body would see the connection break before the answer.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"subscribe/{listId}")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = $"{Unique("grande")}@ejemplo.test", ["name"] = new string('x', 1_100_000), ["consent"] = "yes", ["ts"] = StampServedAgo(listId, TimeSpan.FromSeconds(8)),
            }),
            Headers = { ExpectContinue = true },
        };
        var response = await server.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than this server takes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await server.Api.GetFromJsonAsync<JsonElement>("api/v1/lists")).EnumerateArray()
            .Single(l => l.GetProperty("id").GetInt64() == listId).GetProperty("counts").EnumerateObject().Sum(c => c.Value.GetInt64()));
    }

    [Fact]
    public async Task An_english_contact_subscribed_through_the_api_gets_the_english_mail_and_can_ask_for_it_again()
    {
        var listName = Unique("News");
        var listId = await server.NewListAsync(listName, doubleOptIn: true);
        var response = await server.Api.PostAsJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email = "lector@ejemplo.test", language = "en", name = "Reader" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var contactId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetInt64();

        var first = Assert.Single(await MailboxReader.MessagesAsync(server, "lector@ejemplo.test", listName));
        Assert.Equal($"Confirm your subscription to {listName}", first.Subject);
        Assert.Contains("Hello Reader,", first.TextBody, StringComparison.Ordinal);

        var tooSoon = await server.Api.PostAsync($"api/v1/lists/{listId}/subscriptions/{contactId}/resend", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        await using (var connection = await server.Host.Database.OpenAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE subscriptions SET confirmation_sent_at = 0";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, (await server.Api.PostAsync($"api/v1/lists/{listId}/subscriptions/{contactId}/resend", null)).StatusCode);
        Assert.Equal(2, (await MailboxReader.MessagesAsync(server, "lector@ejemplo.test", listName)).Count);
    }

    [Fact]
    public async Task The_form_refuses_a_too_fast_or_stale_submission_and_silently_ignores_a_filled_honeypot()
    {
        var listId = await server.NewListAsync(Unique("Bots"), doubleOptIn: false);
        var fast = await SubmitAsync(listId, Unique("rapido") + "@ejemplo.es", stamp: StampServedAgo(listId, TimeSpan.Zero));
        var stale = await SubmitAsync(listId, Unique("viejo") + "@ejemplo.es", stamp: StampServedAgo(listId, TimeSpan.FromDays(2)));
        var forged = await SubmitAsync(listId, Unique("falso") + "@ejemplo.es", stamp: "f0-1-1-00000000000000000000000000000000");
        var otherList = await SubmitAsync(listId, Unique("otra") + "@ejemplo.es", stamp: StampServedAgo(listId + 1000, TimeSpan.FromSeconds(10)));
        var botEmail = Unique("bot") + "@ejemplo.es";
        var bot = await SubmitAsync(listId, botEmail, honeypot: "http://spam.example");
        var noConsent = await SubmitAsync(listId, Unique("sin") + "@ejemplo.es", consent: "");

        Assert.Equal(HttpStatusCode.BadRequest, fast.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherList.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noConsent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        Assert.Null(await server.Audience.Contacts.FindAsync(botEmail));
    }

    [Fact]
    public async Task Each_client_address_may_submit_a_form_only_so_often()
    {
        var listId = await server.NewListAsync(Unique("Límite"), doubleOptIn: false);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++) statuses.Add((await SubmitAsync(listId, $"{Unique("p")}@ejemplo.es")).StatusCode);

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
    }

    [Fact]
    public async Task A_one_click_post_to_the_list_unsubscribe_url_unsubscribes_at_once()
    {
        var listId = await server.NewListAsync(Unique("Ofertas"), doubleOptIn: false);
        var email = Unique("uno") + "@ejemplo.es";
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email })).GetProperty("contactId").GetInt64();
        var list = (await server.Audience.Lists.GetAsync(listId))!;
        var headers = server.Audience.UnsubscribeHeadersFor(contactId, list);
        var url = UrlIn(headers.ListUnsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", headers.ListUnsubscribePost);

        using var anonymous = server.Client(null);
        var response = await anonymous.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unsubscribed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());
        var last = (await server.Audience.Subscriptions.HistoryAsync(contactId))[^1];
        Assert.Equal("one-click unsubscribe (RFC 8058)", last.Evidence.Source);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync(url.Replace("-0-", "-1-", StringComparison.Ordinal), null)).StatusCode);
    }

    [Fact]
    public async Task The_unsubscribe_page_asks_first_and_then_unsubscribes()
    {
        var listId = await server.NewListAsync(Unique("Club"), doubleOptIn: false);
        var email = Unique("pagina") + "@ejemplo.es";
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email, language = "es" })).GetProperty("contactId").GetInt64();
        var url = server.Audience.Links.Unsubscribe(contactId, listId);
        using var anonymous = server.Client(null);

        var page = await anonymous.GetStringAsync(url);
        Assert.Contains("Darme de baja", page, StringComparison.Ordinal);
        Assert.Contains("/preferences/p", page, StringComparison.Ordinal);
        Assert.Equal("subscribed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());

        var done = await anonymous.PostAsync(url, new FormUrlEncodedContent([]));
        Assert.Contains("Baja hecha", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("unsubscribed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unsubscribe_link_of_a_list_deleted_since_says_no_more_mail_will_come_and_one_click_succeeds()
    {
        var listId = await server.NewListAsync(Unique("Temporada"), doubleOptIn: false);
        var email = Unique("borrada") + "@ejemplo.es";
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email, language = "es" })).GetProperty("contactId").GetInt64();
        var url = server.Audience.Links.Unsubscribe(contactId, listId);
        await server.Audience.Lists.RemoveAsync(listId);
        using var anonymous = server.Client(null);

        var page = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Baja hecha", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var oneClick = await anonymous.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync(url.Replace("-0-", "-1-", StringComparison.Ordinal), null)).StatusCode);
    }

    [Fact]
    public async Task A_mail_to_the_unsubscribe_address_through_our_mx_unsubscribes()
    {
        var listId = await server.NewListAsync(Unique("Correo"), doubleOptIn: false, from: "noticias@ejemplo.test");
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email = "baja@ejemplo.test" })).GetProperty("contactId").GetInt64();
        var list = (await server.Audience.Lists.GetAsync(listId))!;
        var mailto = MailtoIn(server.Audience.UnsubscribeHeadersFor(contactId, list).ListUnsubscribe);
        Assert.EndsWith("@ejemplo.test", mailto, StringComparison.Ordinal);

        using (var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None))
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("baja@ejemplo.test"));
            message.To.Add(MailboxAddress.Parse(mailto));
            message.Subject = "unsubscribe";
            message.Body = new TextPart("plain") { Text = "unsubscribe" };
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        Assert.Equal("unsubscribed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());
        var last = (await server.Audience.Subscriptions.HistoryAsync(contactId))[^1];
        Assert.Equal(ConsentSourceKind.Mail, last.Evidence.Kind);
        Assert.Equal("mail from <baja@ejemplo.test>", last.Evidence.Source);
    }

    [Fact]
    public async Task A_forged_unsubscribe_address_is_refused_at_rcpt()
    {
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("x@remoto.test"));
        message.To.Add(MailboxAddress.Parse("unsubscribe+u1-1-0-00000000000000000000000000000000@otro.test"));
        message.Subject = "unsubscribe";
        message.Body = new TextPart("plain") { Text = "unsubscribe" };

        var e = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => smtp.SendAsync(message));
        Assert.Equal(550, (int)e.StatusCode);
    }

    [Fact]
    public async Task The_preference_centre_changes_lists_language_and_pauses_sending()
    {
        var a = await server.NewListAsync(Unique("Prefs-A"), doubleOptIn: false);
        var b = await server.NewListAsync(Unique("Prefs-B"), doubleOptIn: false);
        var email = Unique("prefs") + "@ejemplo.es";
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{a}/subscriptions", new { email, language = "es" })).GetProperty("contactId").GetInt64();
        await server.PostJsonAsync($"api/v1/lists/{b}/subscriptions", new { email });
        var url = server.Audience.Links.Preferences(contactId);
        using var anonymous = server.Client(null);

        var page = await anonymous.GetStringAsync(url);
        Assert.Contains("Tus preferencias", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{a}\" checked", page, StringComparison.Ordinal);

        var saved = await anonymous.PostAsync(url, new FormUrlEncodedContent(
        [
            new("list", b.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("language", "en"), new("pause", "30"),
        ]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("unsubscribed", (await SubscriptionAsync(a, contactId)).GetProperty("status").GetString());
        Assert.Equal("subscribed", (await SubscriptionAsync(b, contactId)).GetProperty("status").GetString());
        var contact = (await server.Audience.Contacts.GetAsync(contactId))!;
        Assert.Equal("en", contact.Language);
        Assert.InRange(contact.PausedUntil!.Value, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));

        await anonymous.PostAsync(url, new FormUrlEncodedContent([new("unsubscribe_all", "yes")]));
        Assert.Equal("unsubscribed", (await SubscriptionAsync(b, contactId)).GetProperty("status").GetString());
        Assert.Equal(SuppressionReason.Unsubscribed, await server.Audience.Suppression.ReasonAsync(email));
    }

    [Fact]
    public async Task The_confirmation_page_shows_an_international_address_as_written()
    {
        var listId = await server.NewListAsync(Unique("Internacional"), doubleOptIn: true);
        var local = Unique("josé");
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email = $"{local}@españa.test" })).GetProperty("contactId").GetInt64();
        var token = server.Tokens.Create(TokenPurpose.Confirm, contactId, listId, DateTimeOffset.UtcNow.AddDays(1));

        var page = await server.Api.GetStringAsync($"confirm/{token}");

        Assert.Contains($"{local}@españa.test", page, StringComparison.Ordinal);
        Assert.DoesNotContain("xn--", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_or_altered_confirmation_link_is_refused()
    {
        var listId = await server.NewListAsync(Unique("Caduca"), doubleOptIn: true);
        var email = Unique("caduca") + "@ejemplo.es";
        var contactId = (await server.PostJsonAsync($"api/v1/lists/{listId}/subscriptions", new { email })).GetProperty("contactId").GetInt64();
        var expired = server.Tokens.Create(TokenPurpose.Confirm, contactId, listId, DateTimeOffset.UtcNow.AddMinutes(-1));
        var valid = server.Tokens.Create(TokenPurpose.Confirm, contactId, listId, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Api.PostAsync($"confirm/{expired}", null)).StatusCode);
        var altered = valid[..^1] + (valid[^1] == '0' ? '1' : '0');
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Api.PostAsync($"confirm/{altered}", null)).StatusCode);
        Assert.Equal("unconfirmed", (await SubscriptionAsync(listId, contactId)).GetProperty("status").GetString());

        // The list deleted since: the page says the link no longer holds, instead of a button that would fail.
        Assert.Equal(HttpStatusCode.OK, (await server.Api.GetAsync($"confirm/{valid}")).StatusCode);
        await server.Audience.Lists.RemoveAsync(listId);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Api.GetAsync($"confirm/{valid}")).StatusCode);
    }

    [Fact]
    public async Task The_embeddable_form_frames_the_hosted_page()
    {
        var listId = await server.NewListAsync(Unique("Embebida"), doubleOptIn: false);
        var snippet = await server.Api.GetStringAsync($"subscribe/{listId}/embed");
        Assert.Contains($"src=\"http://{server.Endpoint}/subscribe/{listId}?embed=1\"", snippet, StringComparison.Ordinal);

        var framed = await server.Api.GetAsync($"subscribe/{listId}?embed=1");
        Assert.DoesNotContain("frame-ancestors", framed.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var normal = await server.Api.GetAsync($"subscribe/{listId}");
        Assert.Contains("frame-ancestors 'none'", normal.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static string UrlIn(string listUnsubscribe) => UrlPattern().Match(listUnsubscribe).Groups[1].Value;

    private static string MailtoIn(string listUnsubscribe) => MailtoPattern().Match(listUnsubscribe).Groups[1].Value;

    [GeneratedRegex("<(http[^>]+)>")]
    private static partial Regex UrlPattern();

    [GeneratedRegex("<mailto:([^?>]+)")]
    private static partial Regex MailtoPattern();
}
