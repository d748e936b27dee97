using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary><c>/api/v1/segments</c>: saved segments, count previews and their contacts.</summary>
internal static class SegmentsApi
{
    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapGet("/segments", async Task<ApiResult> (HttpContext ctx) =>
            ApiResult.Ok((await audience.Segments.ListAsync(ctx.RequestAborted)).Select(s => Response(s, null)).ToList()))
            .RequireScope("segments:read").Produces<IReadOnlyList<SegmentResponse>>().WithSummary("Saved segments");

        api.MapPost("/segments", async Task<ApiResult> (HttpContext ctx) =>
        {
            var r = await ApiBody.ReadAsync<SegmentRequest>(ctx);
            var segment = await audience.Segments.SaveAsync(r.Name ?? "", r.Expression ?? "", ctx.RequestAborted);
            var query = await SegmentCompiler.CompileAsync(audience.Database, segment.Expression, ctx.RequestAborted);
            var count = await audience.Segments.CountAsync(query, ctx.RequestAborted);
            return ApiResult.Created(Response(segment, count) with { Warnings = query.Warnings }).With("Location", $"/api/v1/segments/{segment.Id}");
        }).RequireScope("segments:write").Accepts<SegmentRequest>("application/json").Produces<SegmentResponse>(201).WithSummary("Save (or replace) a segment by name");

        api.MapGet("/segments/{id:long}", async (HttpContext ctx, long id) =>
        {
            var segment = await audience.Segments.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"segment {id} does not exist");
            var count = await audience.Segments.CountAsync(await SegmentCompiler.CompileAsync(audience.Database, segment.Expression, ctx.RequestAborted), ctx.RequestAborted);
            return ApiResult.Ok(Response(segment, count));
        }).RequireScope("segments:read").Produces<SegmentResponse>().WithSummary("A saved segment with its current count");

        api.MapDelete("/segments/{id:long}", async (HttpContext ctx, long id) =>
        {
            await audience.Segments.RemoveAsync(id, ctx.RequestAborted);
            return ApiResult.NoContent();
        }).RequireScope("segments:write").Produces(204).WithSummary("Delete a saved segment");

        api.MapPost("/segments/count", async Task<ApiResult> (HttpContext ctx) =>
        {
            var r = await ApiBody.ReadAsync<CountRequest>(ctx);
            var query = await SegmentCompiler.CompileAsync(audience.Database, r.Expression ?? "", ctx.RequestAborted);
            return ApiResult.Ok(new CountResponse(query.Expression, await audience.Segments.CountAsync(query, ctx.RequestAborted), query.Warnings));
        }).RequireScope("segments:read").Accepts<CountRequest>("application/json").Produces<CountResponse>().WithSummary("Count the contacts an expression selects (preview)");

        api.MapGet("/segments/{id:long}/contacts", async (HttpContext ctx, long id, int? limit, string? cursor) =>
        {
            var n = Cursor.Limit(limit);
            var segment = await audience.Segments.GetAsync(id, ctx.RequestAborted) ?? throw new NotFoundException($"segment {id} does not exist");
            var query = await SegmentCompiler.CompileAsync(audience.Database, segment.Expression, ctx.RequestAborted);
            var page = await audience.Contacts.ListAsync(Cursor.After(cursor), n, query, ctx.RequestAborted);
            return ApiResult.Ok(new Page<Contact>(page, page.Count == 0 ? null : Cursor.Next(page[^1].Id, page.Count, n)));
        }).RequireScope("segments:read").Produces<Page<Contact>>().WithSummary("The contacts of a saved segment");
    }

    private static SegmentResponse Response(Segment s, long? count) => new(s.Id, s.Name, s.Expression, count, s.CreatedAt, s.UpdatedAt);
}
