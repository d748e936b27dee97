using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary><c>/api/v1/lists</c>: lists and their subscriptions.</summary>
internal static class ListsApi
{
    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapGet("/lists", async Task<ApiResult> (HttpContext ctx) => ApiResult.Ok(await audience.Lists.ListAsync(ctx.RequestAborted)))
            .RequireScope("lists:read").Produces<IReadOnlyList<MailingList>>().WithSummary("Lists with their counts per subscription status");

        api.MapPost("/lists", async Task<ApiResult> (HttpContext ctx) =>
        {
            var r = await ApiBody.ReadAsync<ListRequest>(ctx);
            var list = await audience.Lists.AddAsync(r.Name ?? "", r.Description, r.DoubleOptIn, r.FromAddress, r.ConsentText, ctx.RequestAborted);
            return ApiResult.Created(list).With("Location", $"/api/v1/lists/{list.Id}");
        }).RequireScope("lists:write").Accepts<ListRequest>("application/json").Produces<MailingList>(201).WithSummary("Create a list");

        api.MapGet("/lists/{id:long}", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Lists.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"list {id} does not exist")))
            .RequireScope("lists:read").Produces<MailingList>().WithSummary("Get a list");

        api.MapMethods("/lists/{id:long}", ["PATCH"], async (HttpContext ctx, long id) =>
        {
            var r = await ApiBody.ReadAsync<ListChangeRequest>(ctx);
            var change = new ListChange { Name = r.Name, Description = r.Description, DoubleOptIn = r.DoubleOptIn, FromAddress = r.FromAddress, ConsentText = r.ConsentText };
            return ApiResult.Ok(await audience.Lists.UpdateAsync(id, change, ctx.RequestAborted));
        }).RequireScope("lists:write").Accepts<ListChangeRequest>("application/json").Produces<MailingList>()
            .WithSummary("Change a list (name, description, opt-in, sender, consent text); saved segments that name it follow a rename");

        api.MapDelete("/lists/{id:long}", async (HttpContext ctx, long id) =>
        {
            await audience.Lists.RemoveAsync(id, ctx.RequestAborted);
            return ApiResult.NoContent();
        }).RequireScope("lists:write").Produces(204).WithSummary("Delete a list and its subscriptions");

        api.MapGet("/lists/{id:long}/subscriptions", async (HttpContext ctx, long id, string? status, int? limit, string? cursor) =>
        {
            var n = Cursor.Limit(limit);
            _ = await audience.Lists.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"list {id} does not exist");
            var page = await audience.Subscriptions.ListAsync(id, status is null ? null : SubscriptionStatuses.Parse(status), Cursor.After(cursor), n, ctx.RequestAborted);
            return ApiResult.Ok(new Page<Subscription>(page, page.Count == 0 ? null : Cursor.Next(page[^1].ContactId, page.Count, n)));
        }).RequireScope("lists:read").Produces<Page<Subscription>>().WithSummary("A list's subscriptions, optionally of one status");

        api.MapPost("/lists/{id:long}/subscriptions", async (HttpContext ctx, long id) =>
        {
            var r = await ApiBody.ReadAsync<SubscribeApiRequest>(ctx);
            var flows = audience.Flows ?? throw new InvalidOperationException("subscriptions need the mail engine");
            var result = await flows.SubscribeAsync(id, new SubscribeRequest(r.Email ?? "", r.Name, r.Language) { Fields = ContactRequest.FieldText(r.Fields) },
                ctx.Evidence(r.Ip, r.UserAgent, r.ConsentText), ctx.RequestAborted);
            var body = new SubscribeResponse(Outcome(result.Outcome), result.ContactId);
            return result.Outcome switch
            {
                SubscribeOutcome.Suppressed => Problems.For(ctx, StatusCodes.Status409Conflict, "the address is on the suppression list and cannot be subscribed", "suppressed"),
                SubscribeOutcome.AlreadySubscribed => ApiResult.Ok(body),
                SubscribeOutcome.ConfirmationSent => ApiResult.Of(StatusCodes.Status202Accepted, body),
                _ => ApiResult.Created(body),
            };
        }).RequireScope("lists:write").Accepts<SubscribeApiRequest>("application/json").Produces<SubscribeResponse>(201).Produces<SubscribeResponse>(202)
            .WithSummary("Subscribe an address (double opt-in lists send the confirmation mail and answer 202)");

        api.MapPut("/lists/{id:long}/subscriptions/{contactId:long}", async (HttpContext ctx, long id, long contactId) =>
        {
            var r = await ApiBody.ReadAsync<StatusRequest>(ctx);
            var status = SubscriptionStatuses.Parse(r.Status ?? "");
            return ApiResult.Ok(await audience.Subscriptions.SetAsync(contactId, id, status, ctx.Evidence(), ctx.RequestAborted));
        }).RequireScope("lists:write").Accepts<StatusRequest>("application/json").Produces<Subscription>().WithSummary("Set a subscription's status");

        api.MapDelete("/lists/{id:long}/subscriptions/{contactId:long}", async (HttpContext ctx, long id, long contactId) =>
            ApiResult.Ok(await audience.Subscriptions.SetAsync(contactId, id, SubscriptionStatus.Unsubscribed, ctx.Evidence(), ctx.RequestAborted)))
            .RequireScope("lists:write").Produces<Subscription>().WithSummary("Unsubscribe a contact from the list (at once)");

        api.MapPost("/lists/{id:long}/subscriptions/{contactId:long}/resend", async (HttpContext ctx, long id, long contactId) =>
        {
            var flows = audience.Flows ?? throw new InvalidOperationException("confirmations need the mail engine");
            var sent = await flows.ResendAsync(contactId, id, ctx.RequestAborted);
            return sent
                ? ApiResult.Of(StatusCodes.Status202Accepted, new SubscribeResponse("confirmation-sent", contactId))
                : Problems.For(ctx, StatusCodes.Status429TooManyRequests, "a confirmation mail was sent a moment ago; wait before sending another", "resend-too-soon");
        }).RequireScope("lists:write").Produces<SubscribeResponse>(202).WithSummary("Send the confirmation mail again");
    }

    public static string Outcome(SubscribeOutcome outcome) => outcome switch
    {
        SubscribeOutcome.Subscribed => "subscribed",
        SubscribeOutcome.ConfirmationSent => "confirmation-sent",
        SubscribeOutcome.AlreadySubscribed => "already-subscribed",
        _ => "suppressed",
    };
}
