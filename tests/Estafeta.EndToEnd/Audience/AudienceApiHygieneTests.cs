using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.EndToEnd.Audience;

/// <summary>
/// List hygiene seen through the API over real HTTP: the MTA's hard bounces and complaints land on the suppression
/// list (and bounces in the engagement events), and unconfirmed subscriptions expire.
/// </summary>
public abstract class AudienceApiHygieneTests(AudienceServerFixture server)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<(long List, long Contact)> SubscribedAsync(string email)
    {
        var list = (await server.PostJsonAsync("api/v1/lists", new { name = Unique("lista") })).GetProperty("id").GetInt64();
        var contact = (await server.PostJsonAsync($"api/v1/lists/{list}/subscriptions", new { email })).GetProperty("contactId").GetInt64();
        return (list, contact);
    }

    [Fact]
    public async Task Hard_bounces_and_complaints_from_the_mta_suppress_the_address_once()
    {
        var bouncing = Unique("rebota") + "@ejemplo.es";
        var complaining = Unique("queja") + "@ejemplo.es";
        var full = Unique("llena") + "@ejemplo.es";
        var (list, bouncer) = await SubscribedAsync(bouncing);
        var (otherList, complainer) = await SubscribedAsync(complaining);
        var (_, soft) = await SubscribedAsync(full);
        var outbound = new OutboundEventStore(server.Host.Database);
        var now = DateTimeOffset.UtcNow;
        await outbound.RecordAsync(new OutboundEvent(now, OutboundEventKind.Delivered, complaining, "boletin@tienda.test", "ejemplo.es", "smtp"));
        await outbound.RecordAsync(new OutboundEvent(now, OutboundEventKind.Bounced, bouncing.ToUpperInvariant(), "boletin@tienda.test", "ejemplo.es", "dsn", "hard", Status: "5.1.1"));
        await outbound.RecordAsync(new OutboundEvent(now, OutboundEventKind.Complained, complaining, "boletin@tienda.test", "ejemplo.es", "arf"));
        await outbound.RecordAsync(new OutboundEvent(now, OutboundEventKind.Bounced, full, "boletin@tienda.test", "ejemplo.es", "smtp", "mailbox_full", Status: "4.2.2"));

        await new DeliveryFeedback(server.Host.Database).ApplyAsync();

        var bounced = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/suppression/{bouncing}");
        Assert.Equal("hard-bounce", bounced.GetProperty("reason").GetString());
        Assert.Equal("complaint", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/suppression/{complaining}")).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync($"api/v1/suppression/{full}")).StatusCode);
        Assert.Equal("bounced", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{bouncer}/subscriptions"))[0].GetProperty("status").GetString());
        Assert.Equal("complained", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{complainer}/subscriptions"))[0].GetProperty("status").GetString());
        Assert.Equal("subscribed", (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{soft}/subscriptions"))[0].GetProperty("status").GetString());
        var count = await server.PostJsonAsync("api/v1/segments/count", new { expression = $"bounced(within: 1d) and (list(\"{(await ListNameAsync(list))}\", status: \"bounced\") or email = \"{full}\")" });
        Assert.Equal(2, count.GetProperty("count").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await server.Api.PostAsJsonAsync($"api/v1/lists/{otherList}/subscriptions", new { email = bouncing })).StatusCode);

        // Applied once: a second pass finds nothing new, and the consent history holds one change each.
        Assert.Equal(0, await new DeliveryFeedback(server.Host.Database).ApplyAsync());
        var history = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{bouncer}/consent");
        Assert.Equal(["subscribed", "bounced"], history.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("system", history[1].GetProperty("evidence").GetProperty("kind").GetString());
    }

    private async Task<string> ListNameAsync(long id) =>
        (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/lists/{id}")).GetProperty("name").GetString()!;

    [Fact]
    public async Task Unconfirmed_subscriptions_expire_and_a_contact_that_never_consented_goes_with_them()
    {
        var doubleList = (await server.PostJsonAsync("api/v1/lists", new { name = Unique("doble"), doubleOptIn = true })).GetProperty("id").GetInt64();
        var newcomer = Unique("nueva") + "@ejemplo.es";
        var waiting = await server.Api.PostAsJsonAsync($"api/v1/lists/{doubleList}/subscriptions", new { email = newcomer, language = "en" });
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        var newcomerId = (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetInt64();
        var regular = Unique("fiel") + "@ejemplo.es";
        var (_, regularId) = await SubscribedAsync(regular);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Api.PostAsJsonAsync($"api/v1/lists/{doubleList}/subscriptions", new { email = regular })).StatusCode);
        var resend = await server.Api.PostAsync($"api/v1/lists/{doubleList}/subscriptions/{newcomerId}/resend", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, resend.StatusCode);

        var audience = new AudienceService(server.Host.Database, null, () => new Uri("http://localhost/"), "mx.ejemplo.test", server.Host.Engine);
        var flows = new ConsentFlows(server.Host.Database, audience.Contacts, audience.Lists, audience.Subscriptions, audience.Links, server.Host.Engine) { ConfirmationValidity = TimeSpan.FromMinutes(10) };
        Assert.Equal(0, await flows.ExpireUnconfirmedAsync());
        var expiring = new ConsentFlows(server.Host.Database, audience.Contacts, audience.Lists, audience.Subscriptions, audience.Links, server.Host.Engine) { ConfirmationValidity = TimeSpan.FromMilliseconds(1) };
        await Task.Delay(20);

        Assert.True(await expiring.ExpireUnconfirmedAsync() >= 2);

        Assert.Equal(HttpStatusCode.NotFound, (await server.Api.GetAsync($"api/v1/contacts/{newcomerId}")).StatusCode);
        var subscriptions = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{regularId}/subscriptions");
        Assert.DoesNotContain(subscriptions.EnumerateArray(), s => s.GetProperty("listId").GetInt64() == doubleList);
        var history = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{regularId}/consent");
        var last = history.EnumerateArray().Last();
        Assert.Equal(("unsubscribed", "confirmation expired"), (last.GetProperty("status").GetString(), last.GetProperty("evidence").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task An_expiring_confirmation_keeps_the_import_consent_record_in_the_contacts_history()
    {
        // Imported (the import's one record per job names the subscription), left, then asked to come back
        // through a double opt-in form and never confirmed: the expired subscription is deleted, and the record the
        // import wrote must stay in the contact's history as one of its own.
        var name = Unique("doble-importada");
        var list = await server.NewListAsync(name, doubleOptIn: true);
        var email = Unique("vuelve") + "@ejemplo.es";
        var imported = await server.Api.PostAsync(
            $"api/v1/imports?list={name}&consentSource={Uri.EscapeDataString("feria de Cádiz")}&checkDns=false",
            new StringContent($"email\n{email}\n", System.Text.Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var contact = (await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts?segment={Uri.EscapeDataString($"email = \"{email}\"")}"))
            .GetProperty("data")[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await server.Api.DeleteAsync($"api/v1/lists/{list}/subscriptions/{contact}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Api.PostAsJsonAsync($"api/v1/lists/{list}/subscriptions", new { email })).StatusCode);
        var before = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{contact}/consent");
        Assert.Equal(["subscribed", "unsubscribed", "unconfirmed"], before.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("import", before[0].GetProperty("evidence").GetProperty("kind").GetString());

        var audience = new AudienceService(server.Host.Database, null, () => new Uri("http://localhost/"), "mx.ejemplo.test", server.Host.Engine);
        var expiring = new ConsentFlows(server.Host.Database, audience.Contacts, audience.Lists, audience.Subscriptions, audience.Links, server.Host.Engine) { ConfirmationValidity = TimeSpan.FromMilliseconds(1) };
        await Task.Delay(20);
        Assert.True(await expiring.ExpireUnconfirmedAsync() >= 1);

        Assert.Empty((await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{contact}/subscriptions")).EnumerateArray());
        var after = await server.Api.GetFromJsonAsync<JsonElement>($"api/v1/contacts/{contact}/consent");
        Assert.Equal(["subscribed", "unsubscribed", "unconfirmed", "unsubscribed"], after.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        var kept = after[0];
        Assert.Equal(before[0].GetProperty("evidence").GetRawText(), kept.GetProperty("evidence").GetRawText());
        Assert.Equal(before[0].GetProperty("at").GetString(), kept.GetProperty("at").GetString());
        Assert.Equal(contact, kept.GetProperty("contactId").GetInt64());
        Assert.NotEqual(before[0].GetProperty("id").GetInt64(), kept.GetProperty("id").GetInt64());
        Assert.StartsWith("feria de Cádiz [import ", kept.GetProperty("evidence").GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal("confirmation expired", after[3].GetProperty("evidence").GetProperty("source").GetString());
    }
}

public sealed class AudienceApiHygieneOnSqlite(AudienceServerFixture server) : AudienceApiHygieneTests(server), IClassFixture<AudienceServerFixture>;

public sealed class AudienceApiHygieneOnPostgres(PostgresAudienceServerFixture server) : AudienceApiHygieneTests(server), IClassFixture<PostgresAudienceServerFixture>;
