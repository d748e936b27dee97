using Estafeta.Marketing.Audience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary>
/// <c>/api/v1/privacy</c>: GDPR requests by address (the person need not be a contact) — the export of everything
/// held, and erasure — and <c>/api/v1/engagement/totals</c>, which keeps counting the events of erased contacts.
/// The address travels in the JSON body, never in the URL (URLs end up in logs); an export's answer is never kept
/// for Idempotency-Key replays.
/// </summary>
internal static class PrivacyApi
{
    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapPost("/privacy/export", async Task<ApiResult> (HttpContext ctx) =>
        {
            var request = await ApiBody.ReadAsync<PrivacyRequest>(ctx);
            return ApiResult.Ok(await audience.Privacy.ExportAsync(Required(request), ctx.RequestAborted));
        }).RequireScope("privacy:read").WithMetadata(new PersonalAnswerMetadata()).Accepts<PrivacyRequest>("application/json").Produces<PersonalDataExport>()
            .WithSummary("Everything stored about an address (GDPR access and portability): contact, custom fields, tags, subscriptions, consent records, events, suppression, address check, import report rows");

        api.MapPost("/privacy/erasure", async Task<ApiResult> (HttpContext ctx) =>
        {
            var request = await ApiBody.ReadAsync<PrivacyRequest>(ctx);
            return ApiResult.Ok(await audience.Privacy.EraseAsync(Required(request), ctx.RequestAborted));
        }).RequireScope("privacy:write").Accepts<PrivacyRequest>("application/json").Produces<ErasureResult>()
            .WithSummary("Erase everything about an address (GDPR); only its SHA-256 stays, on the suppression list, so it is never imported or mailed again. Repeating it is harmless");

        api.MapGet("/engagement/totals", async (HttpContext ctx, string? campaign, DateTimeOffset? since) =>
        {
            var totals = await audience.EngagementTotals.CountAsync(campaign, since, ctx.RequestAborted);
            return ApiResult.Ok(totals.ToDictionary(kv => EngagementKinds.Name(kv.Key), kv => kv.Value));
        }).RequireScope("contacts:read").Produces<Dictionary<string, long>>()
            .WithSummary("Engagement events per kind (optionally of one campaign, since a time), including those of erased contacts");
    }

    private static string Required(PrivacyRequest request) =>
        string.IsNullOrWhiteSpace(request.Email) ? throw new ApiBadRequestException("email is required") : request.Email;
}

/// <summary>A GDPR request: the address it is about.</summary>
public sealed record PrivacyRequest(string? Email);

/// <summary>Marks an endpoint whose answer holds personal data: <see cref="ApiGate"/> does not store it for Idempotency-Key replays.</summary>
public sealed record PersonalAnswerMetadata;
