using Estafeta.Marketing.Audience;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary><c>/api/v1/imports</c> and <c>/api/v1/exports</c>: files of contacts in and out.</summary>
internal static class ImportsApi
{
    private const long MaxImportBytes = 1L << 30;

    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapPost("/imports", async (HttpContext ctx, string? list, string? consentSource, string? format, [FromQuery] string[]? map, [FromQuery] string[]? tag, bool? checkDns) =>
        {
            if (string.IsNullOrWhiteSpace(consentSource)) throw new ApiBadRequestException("consentSource is required: state how these people consented");
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxImportBytes;
            var listId = list is null ? (long?)null : (await audience.Lists.ResolveAsync(list, ctx.RequestAborted)).Id;
            var kind = format?.ToLowerInvariant() switch
            {
                null => ctx.Request.ContentType?.Contains("ndjson", StringComparison.OrdinalIgnoreCase) == true || ctx.Request.ContentType?.Contains("jsonl", StringComparison.OrdinalIgnoreCase) == true
                    ? ImportFormat.JsonLines : ImportFormat.Csv,
                "csv" => ImportFormat.Csv,
                "jsonl" or "ndjson" => ImportFormat.JsonLines,
                _ => throw new ApiBadRequestException("format is csv or jsonl"),
            };
            var folder = Path.Combine(audience.Database.DataDirectory, "tmp", "imports");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + (kind == ImportFormat.Csv ? ".csv" : ".jsonl"));
            try
            {
                await using (var file = File.Create(path))
                {
                    await ctx.Request.Body.CopyToAsync(file, ctx.RequestAborted);
                }

                var report = await audience.Importer(checkDns ?? true).ImportAsync(path, new ImportOptions(consentSource)
                {
                    ListId = listId,
                    Maps = map ?? [],
                    Tags = tag ?? [],
                    Format = kind,
                }, ctx.RequestAborted);
                return ApiResult.Created(report).With("Location", $"/api/v1/imports/{report.JobId}");
            }
            finally
            {
                File.Delete(path);
            }
        }).RequireScope("imports:write").Accepts<string>("text/csv", "application/x-ndjson").Produces<ImportReport>(201)
            .WithSummary("Import a CSV or JSON lines body: ?list=&consentSource=&map=column=field&tag=&format=csv|jsonl");

        api.MapGet("/imports/{id:long}", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Importer().ReportAsync(id, ctx.RequestAborted)))
            .RequireScope("imports:read").Produces<ImportReport>().WithSummary("The report of an import");

        api.MapGet("/exports", async (HttpContext ctx, string? list, string? segment, string? format) =>
        {
            var kind = format?.ToLowerInvariant() switch
            {
                null or "csv" => ExportFormat.Csv,
                "jsonl" or "ndjson" => ExportFormat.JsonLines,
                _ => throw new ApiBadRequestException("format is csv or jsonl"),
            };
            var listId = list is null ? (long?)null : (await audience.Lists.ResolveAsync(list, ctx.RequestAborted)).Id;
            var query = segment is null ? null : await audience.Segments.ResolveAsync(segment, ctx.RequestAborted);
            return new ExportResult(audience, kind, listId, query);
        }).RequireScope("contacts:read").Produces<string>(200, "text/csv", "application/x-ndjson").WithSummary("Export contacts as CSV or JSON lines, of a list and/or a segment");
    }

    private sealed class ExportResult(AudienceService audience, ExportFormat format, long? listId, SegmentQuery? segment) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = format == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"contacts.{(format == ExportFormat.Csv ? "csv" : "jsonl")}\"";
            await audience.Exporter.ExportAsync(httpContext.Response.Body, format, listId, segment, httpContext.RequestAborted);
        }
    }
}
