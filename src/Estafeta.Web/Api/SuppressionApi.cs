using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary><c>/api/v1/suppression</c>: the global suppression list.</summary>
internal static class SuppressionApi
{
    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapGet("/suppression", async (HttpContext ctx, int? limit, string? cursor) =>
        {
            var n = Cursor.Limit(limit);
            var page = await audience.Suppression.ListAsync(Cursor.After(cursor), n, ctx.RequestAborted);
            return ApiResult.Ok(new Page<SuppressionResponse>([.. page.Select(Response)], page.Count == 0 ? null : Cursor.Next(page[^1].Id, page.Count, n)));
        }).RequireScope("suppression:read").Produces<Page<SuppressionResponse>>().WithSummary("The suppression list (erased entries show only their hash)");

        api.MapPost("/suppression", async Task<ApiResult> (HttpContext ctx) =>
        {
            var r = await ApiBody.ReadAsync<SuppressionRequest>(ctx);
            if (string.IsNullOrWhiteSpace(r.Email)) throw new ApiBadRequestException("email is required");
            var reason = SuppressionReasons.Parse(r.Reason ?? "manual");
            if (reason == SuppressionReason.Erased) throw new InvalidInputException("erase an address with POST /api/v1/privacy/erasure (it removes everything else held about it too)");
            return ApiResult.Created(Response(await audience.Suppression.AddAsync(r.Email, reason, r.Note, ctx.Evidence(), ctx.RequestAborted)));
        }).RequireScope("suppression:write").Accepts<SuppressionRequest>("application/json").Produces<SuppressionResponse>(201).WithSummary("Suppress an address (reason: manual, unsubscribed, hard-bounce, complaint)");

        api.MapGet("/suppression/{email}", async (HttpContext ctx, string email) =>
        {
            var reason = await audience.Suppression.ReasonAsync(email, ctx.RequestAborted) ?? throw new NotFoundException($"{email} is not suppressed");
            return ApiResult.Ok(new { email = MailAddressCanonical.Address(email), reason = SuppressionReasons.Name(reason) });
        }).RequireScope("suppression:read").WithSummary("Whether an address is suppressed, and why");

        api.MapDelete("/suppression/{email}", async (HttpContext ctx, string email) =>
        {
            await audience.Suppression.RemoveAsync(email, ctx.RequestAborted);
            return ApiResult.NoContent();
        }).RequireScope("suppression:write").Produces(204).WithSummary("Lift a suppression (not for erased contacts)");
    }

    private static SuppressionResponse Response(SuppressionEntry e) => new(e.Email, e.Hash, SuppressionReasons.Name(e.Reason), e.Note, e.CreatedAt);
}
