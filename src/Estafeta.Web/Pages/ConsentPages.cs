using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Estafeta.Web.Pages.Html;

namespace Estafeta.Web.Pages;

/// <summary>
/// The pages reached from links in mail. Confirmation and unsubscribe pages show a button that POSTs, so a mail
/// scanner that follows links changes nothing; <c>POST /unsubscribe/{token}</c> is also the RFC 8058 one-click
/// endpoint (body <c>List-Unsubscribe=One-Click</c>), which takes effect at once.
/// </summary>
internal static class ConsentPages
{
    public static void Map(IEndpointRouteBuilder app, AudienceService audience)
    {
        ConsentEvidence Link(HttpContext ctx, string what) =>
            new(ConsentSourceKind.Link, what, ctx.Connection.RemoteIpAddress?.ToString(), ctx.Request.Headers.UserAgent.ToString());

        // The preference centre's link only while the contact exists (an erased person's old link has none).
        IResult Unsubscribed(PageTexts t, long? contactId) => Page(t.Lang, t.Unsubscribed, $"<p>{E(t.UnsubscribedBody)}</p>"
            + (contactId is { } id ? $"<p class=\"small\"><a href=\"{E(audience.Links.Preferences(id))}\">{E(t.ManagePreferences)}</a></p>" : ""));

        IResult Bad(PageTexts t) => Page(t.Lang, t.BadLink, $"<p>{E(t.BadLinkBody)}</p>", StatusCodes.Status400BadRequest);

        app.MapGet("/confirm/{token}", async (HttpContext ctx, string token) =>
        {
            var parsed = audience.Tokens.Verify(token, TokenPurpose.Confirm);
            var contact = parsed is null ? null : await audience.Contacts.GetAsync(parsed.ContactId, ctx.RequestAborted);
            var t = PageTexts.For(ctx, contact?.Language);
            if (parsed is null || contact is null) return Bad(t);
            var list = await audience.Lists.GetAsync(parsed.ListId, ctx.RequestAborted);
            // A list deleted since, or a subscription that expired unconfirmed: there is nothing left to confirm.
            if (list is null || await audience.Subscriptions.GetAsync(contact.Id, list.Id, ctx.RequestAborted) is null) return Bad(t);
            return Page(t.Lang, t.ConfirmTitle,
                $"<p>{E(MailAddressCanonical.DisplayAddress(contact.Email))} → {E(list?.Name)}</p><form method=\"post\"><button type=\"submit\">{E(t.ConfirmButton)}</button></form>");
        }).ExcludeFromDescription();

        app.MapPost("/confirm/{token}", async (HttpContext ctx, string token) =>
        {
            var flows = audience.Flows!;
            var result = await flows.ConfirmAsync(token, Link(ctx, "confirmation link"), ctx.RequestAborted);
            var contact = result is null ? null : await audience.Contacts.GetAsync(result.ContactId, ctx.RequestAborted);
            var t = PageTexts.For(ctx, contact?.Language);
            return result is null ? Bad(t) : Page(t.Lang, t.Confirmed, $"<p>{E(t.ConfirmedBody)}</p>");
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapGet("/unsubscribe/{token}", async (HttpContext ctx, string token) =>
        {
            var parsed = audience.Tokens.Verify(token, TokenPurpose.Unsubscribe);
            var contact = parsed is null ? null : await audience.Contacts.GetAsync(parsed.ContactId, ctx.RequestAborted);
            var t = PageTexts.For(ctx, contact?.Language);
            if (parsed is null || contact is null) return Bad(t);
            var list = await audience.Lists.GetAsync(parsed.ListId, ctx.RequestAborted);
            // A list deleted since the mail was sent (or a subscription that is gone) sends nothing more: say so.
            if (list is null || await audience.Subscriptions.GetAsync(contact.Id, list.Id, ctx.RequestAborted) is null) return Unsubscribed(t, contact.Id);
            return Page(t.Lang, t.UnsubscribeTitle,
                $"<p>{E(string.Format(CultureInfo.InvariantCulture, t.UnsubscribeQuestion, list?.Name))}</p>" +
                $"<form method=\"post\"><button type=\"submit\">{E(t.UnsubscribeButton)}</button></form>" +
                $"<p class=\"small\"><a href=\"{E(audience.Links.Preferences(contact.Id))}\">{E(t.ManagePreferences)}</a></p>");
        }).ExcludeFromDescription();

        app.MapPost("/unsubscribe/{token}", async (HttpContext ctx, string token) =>
        {
            // The page's button and RFC 8058 senders post a form; a request without one is the page's too.
            var form = ctx.Request.HasFormContentType ? await PageForms.ReadAsync(ctx) : FormCollection.Empty;
            if (form is null)
            {
                var bad = PageTexts.For(ctx, null);
                return Page(bad.Lang, bad.UnsubscribeTitle, $"<p>{E(bad.BadForm)}</p>", StatusCodes.Status400BadRequest);
            }

            var oneClick = form["List-Unsubscribe"].ToString() == "One-Click";
            var result = await audience.Flows!.UnsubscribeAsync(token, Link(ctx, oneClick ? "one-click unsubscribe (RFC 8058)" : "unsubscribe page"), ctx.RequestAborted);
            if (result is null) return Bad(PageTexts.For(ctx, null));
            // Also a valid link whose list or subscription is gone: nothing more will be sent, which is what was asked
            // (RFC 8058 one-click senders expect a success).
            var contact = await audience.Contacts.GetAsync(result.ContactId, ctx.RequestAborted);
            return Unsubscribed(PageTexts.For(ctx, contact?.Language), contact?.Id);
        }).ExcludeFromDescription().DisableAntiforgery();

        app.MapGet("/preferences/{token}", async (HttpContext ctx, string token) =>
        {
            var state = await audience.Flows!.PreferencesAsync(token, ctx.RequestAborted);
            var t = PageTexts.For(ctx, state?.Contact.Language);
            if (state is not { } s) return Bad(t);
            return Page(t.Lang, t.PreferencesTitle, PreferencesForm(s.Contact, s.Subscriptions, s.Lists, t));
        }).ExcludeFromDescription();

        app.MapPost("/preferences/{token}", async (HttpContext ctx, string token) =>
        {
            var flows = audience.Flows!;
            // The page's form leaves out the lists not ticked, so a body that is not that form would read as "no lists"
            // and unsubscribe the contact from every one: refused, and nothing changes.
            var form = ctx.Request.HasFormContentType ? await PageForms.ReadAsync(ctx) : null;
            if (form is null)
            {
                var bad = PageTexts.For(ctx, null);
                return Page(bad.Lang, bad.PreferencesTitle, $"<p>{E(bad.BadForm)}</p>", StatusCodes.Status400BadRequest);
            }

            var lists = new HashSet<long>();
            foreach (var value in form["list"])
            {
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) lists.Add(id);
            }

            int? pause = form["pause"].ToString() switch
            {
                "30" => 30,
                "90" => 90,
                "0" => 0,
                _ => null,
            };
            var language = form["language"].ToString() is { Length: > 0 } l && l is "es" or "en" ? l : null;
            var choice = new PreferenceChoice(lists, language, pause, form["unsubscribe_all"].ToString() == "yes");
            var saved = await flows.SavePreferencesAsync(token, choice, Link(ctx, "preference centre"), ctx.RequestAborted);
            var state = await flows.PreferencesAsync(token, ctx.RequestAborted);
            var t = PageTexts.For(ctx, state?.Contact.Language);
            if (!saved || state is not { } s) return Bad(t);
            return Page(t.Lang, t.Saved, PreferencesForm(s.Contact, s.Subscriptions, s.Lists, t));
        }).ExcludeFromDescription().DisableAntiforgery();
    }

    private static string PreferencesForm(Contact contact, IReadOnlyList<Subscription> subscriptions, IReadOnlyList<MailingList> lists, PageTexts t)
    {
        var rows = string.Concat(lists.Select(l =>
        {
            var on = subscriptions.Any(s => s.ListId == l.Id && s.Status is SubscriptionStatus.Subscribed or SubscriptionStatus.Unconfirmed);
            var blocked = subscriptions.Any(s => s.ListId == l.Id && s.Status is SubscriptionStatus.Bounced or SubscriptionStatus.Complained);
            return $"<label><input type=\"checkbox\" name=\"list\" value=\"{l.Id.ToString(CultureInfo.InvariantCulture)}\"{(on ? " checked" : "")}{(blocked ? " disabled" : "")}> {E(l.Name)}</label>" +
                (l.Description.Length > 0 ? $"<div class=\"small\">{E(l.Description)}</div>" : "");
        }));
        var paused = contact.PausedUntil is { } until ? $"<p class=\"small\">⏸ {E(until.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</p>" : "";
        return $"""
            <p>{E(MailAddressCanonical.DisplayAddress(contact.Email))}</p>
            <form method="post">
            <fieldset><legend>{E(t.PreferencesLists)}</legend>{rows}</fieldset>
            <label for="language">{E(t.Language)}</label><select id="language" name="language">
            <option value="es"{(contact.Language == "es" ? " selected" : "")}>Español</option><option value="en"{(contact.Language == "en" ? " selected" : "")}>English</option></select>
            <fieldset><legend>{E(t.Pause)}</legend>{paused}
            <label><input type="radio" name="pause" value="" checked> {E(t.PauseNone)}</label>
            <label><input type="radio" name="pause" value="30"> {E(t.Pause30)}</label>
            <label><input type="radio" name="pause" value="90"> {E(t.Pause90)}</label>
            <label><input type="radio" name="pause" value="0"> {E(t.Resume)}</label></fieldset>
            <label><input type="checkbox" name="unsubscribe_all" value="yes"> {E(t.UnsubscribeAll)}</label>
            <button type="submit">{E(t.Save)}</button>
            </form>
            """;
    }
}
