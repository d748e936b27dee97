using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Estafeta.Web.Pages.Html;

namespace Estafeta.Web.Pages;

/// <summary>
/// The hosted subscription page of each list (<c>/subscribe/{id}</c>), the same form for embedding
/// (<c>?embed=1</c>, framed by <c>/subscribe/{id}/embed</c>'s snippet), and its POST handler.
/// </summary>
internal static class SubscribePages
{
    public static void Map(IEndpointRouteBuilder app, AudienceService audience, FormGuard guard)
    {
        app.MapGet("/subscribe/{listId:long}", async (HttpContext ctx, long listId, string? embed) =>
        {
            var t = PageTexts.For(ctx);
            var list = await audience.Lists.GetAsync(listId, ctx.RequestAborted);
            if (list is null) return Page(t.Lang, t.BadLink, $"<p>{E(t.BadLinkBody)}</p>", StatusCodes.Status404NotFound);
            return Page(t.Lang, $"{t.Subscribe}: {list.Name}", Form(list, t, guard.Stamp(list.Id), audience.Links.SubscribePage(list.Id)), embeddable: embed is "1" or "true");
        }).ExcludeFromDescription();

        app.MapGet("/subscribe/{listId:long}/embed", async (HttpContext ctx, long listId) =>
        {
            var list = await audience.Lists.GetAsync(listId, ctx.RequestAborted);
            if (list is null) return Results.NotFound();
            var src = audience.Links.SubscribePage(list.Id) + "?embed=1";
            var snippet = $"<iframe src=\"{E(src)}\" title=\"{E(list.Name)}\" style=\"border:0;width:100%;max-width:34rem;height:32rem\" loading=\"lazy\"></iframe>\n";
            return Results.Text(snippet, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapPost("/subscribe/{listId:long}", async (HttpContext ctx, long listId) =>
        {
            var t = PageTexts.For(ctx);
            var list = await audience.Lists.GetAsync(listId, ctx.RequestAborted);
            if (list is null) return Page(t.Lang, t.BadLink, $"<p>{E(t.BadLinkBody)}</p>", StatusCodes.Status404NotFound);
            var ip = ctx.Connection.RemoteIpAddress?.ToString();
            if (!guard.Allow(ip, list.Id)) return Page(t.Lang, t.Subscribe, $"<p>{E(t.TooMany)}</p>", StatusCodes.Status429TooManyRequests);
            if (!ctx.Request.HasFormContentType) return Page(t.Lang, t.Subscribe, $"<p>{E(t.TooFast)}</p>", StatusCodes.Status400BadRequest);
            if (await PageForms.ReadAsync(ctx) is not { } form) return Page(t.Lang, t.Subscribe, $"<p>{E(t.BadForm)}</p>", StatusCodes.Status400BadRequest);
            if (form[FormGuard.Honeypot].ToString().Length > 0)
            {
                // Answer a bot as if it had worked, so it learns nothing.
                return Page(t.Lang, t.Thanks, $"<p>{E(t.ThanksBody)}</p>");
            }

            if (!guard.StampIsFresh(form["ts"], list.Id)) return Page(t.Lang, t.Subscribe, $"<p>{E(t.TooFast)}</p>", StatusCodes.Status400BadRequest);
            if (form["consent"].ToString() != "yes") return Page(t.Lang, t.Subscribe, $"<p>{E(t.NeedConsent)}</p>", StatusCodes.Status400BadRequest);
            var language = form["language"].ToString() is { Length: > 0 } l ? l : t.Lang;
            // The consent text recorded is the one the page showed, in the page's language (carried by the form).
            var shown = form["shown"].ToString() is "es" or "en" ? form["shown"].ToString() : t.Lang;
            var flows = audience.Flows ?? throw new InvalidOperationException("subscriptions need the mail engine");
            SubscribeResult result;
            try
            {
                result = await flows.SubscribeAsync(list.Id, new SubscribeRequest(form["email"].ToString(), form["name"].ToString(), language),
                    new ConsentEvidence(ConsentSourceKind.Form, $"subscription form of list {list.Id.ToString(CultureInfo.InvariantCulture)}", ip, ctx.Request.Headers.UserAgent.ToString(), list.ConsentTextIn(shown)),
                    ctx.RequestAborted);
            }
            catch (InvalidInputException)
            {
                return Page(t.Lang, t.Subscribe, $"<p>{E(t.InvalidEmail)}</p>{Form(list, t, guard.Stamp(list.Id), audience.Links.SubscribePage(list.Id))}", StatusCodes.Status422UnprocessableEntity);
            }

            var texts = PageTexts.For(ctx, language);
            return result.Outcome switch
            {
                SubscribeOutcome.ConfirmationSent => Page(texts.Lang, texts.CheckInbox, $"<p>{E(texts.CheckInboxBody)}</p>"),
                SubscribeOutcome.Subscribed or SubscribeOutcome.AlreadySubscribed => Page(texts.Lang, texts.Subscribed, $"<p>{E(texts.SubscribedBody)}</p>"),
                _ => Page(texts.Lang, texts.Thanks, $"<p>{E(texts.ThanksBody)}</p>"),
            };
        }).ExcludeFromDescription().DisableAntiforgery();
    }

    private static string Form(MailingList list, PageTexts t, string stamp, string action) => $"""
        {(list.Description.Length > 0 ? $"<p>{E(list.Description)}</p>" : "")}
        <form method="post" action="{E(action)}">
        <label for="email">{E(t.Email)}</label><input id="email" name="email" type="email" required autocomplete="email">
        <label for="name">{E(t.Name)}</label><input id="name" name="name" type="text" autocomplete="name">
        <label for="language">{E(t.Language)}</label><select id="language" name="language">
        <option value="es"{(t.Lang == "es" ? " selected" : "")}>Español</option><option value="en"{(t.Lang == "en" ? " selected" : "")}>English</option></select>
        <div class="hp" aria-hidden="true"><label for="{FormGuard.Honeypot}">Website</label><input id="{FormGuard.Honeypot}" name="{FormGuard.Honeypot}" type="text" tabindex="-1" autocomplete="off"></div>
        <input type="hidden" name="ts" value="{E(stamp)}"><input type="hidden" name="shown" value="{E(t.Lang)}">
        <label><input type="checkbox" name="consent" value="yes" required> {E(t.Agree)} {E(list.ConsentTextIn(t.Lang))}</label>
        <button type="submit">{E(t.Send)}</button>
        </form>
        """;
}
