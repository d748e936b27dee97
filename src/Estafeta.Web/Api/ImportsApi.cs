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

    /// <summary>The filename a Content-Disposition header gives (RFC 6266; filename* preferred), or null.</summary>
    private static string? FileNameOf(string header) =>
        Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(header, out var value)
            ? (value.FileNameStar.HasValue ? value.FileNameStar.Value : value.FileName.Value?.Trim('"'))
            : null;

    /// <summary>An upload's name as recorded: its last path segment, without control characters and the U+FFFE that no
    /// stored text holds (a Content-Disposition's name is not checked as a query value is), at most 200 characters; null
    /// when nothing is left.</summary>
    private static string? UploadName(string? name)
    {
        if (name is null) return null;
        var last = name.Replace('\\', '/').Split('/')[^1];
        var clean = new string([.. last.Where(c => !char.IsControl(c) && c != '\uFFFE')]).Trim().Normalize(System.Text.NormalizationForm.FormC);
        return clean.Length == 0 ? null : clean.Length > 200 ? clean[..200] : clean;
    }

    public static void Map(RouteGroupBuilder api, AudienceService audience)
    {
        api.MapPost("/imports", async (HttpContext ctx, string? list, string? consentSource, string? format, [FromQuery] string[]? map, [FromQuery] string[]? tag, bool? checkDns, string? name) =>
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
                    FileName = UploadName(name ?? FileNameOf(ctx.Request.Headers.ContentDisposition.ToString())),
                }, ctx.RequestAborted);
                return ApiResult.Created(report).With("Location", $"/api/v1/imports/{report.JobId}");
            }
            finally
            {
                File.Delete(path);
            }
        }).RequireScope("imports:write").Accepts<string>("text/csv", "application/x-ndjson").Produces<ImportReport>(201)
            .WithSummary("Import a CSV or JSON lines body: ?list=&consentSource=&map=column=field&tag=&format=csv|jsonl&name= (the file's name for the "
                + "job and its consent record; else Content-Disposition's filename)");

        api.MapGet("/imports/{id:long}", async (HttpContext ctx, long id) =>
            ApiResult.Ok(await audience.Importer().ReportAsync(id, ctx.RequestAborted)))
            .RequireScope("imports:read").Produces<ImportReport>().WithSummary("The report of an import");

        api.MapGet("/exports", async (HttpContext ctx, string? list, string? segment, string? format) =>
        {
            var kind = ExportFormats.Parse(format) ?? throw new ApiBadRequestException($"format is {ExportFormats.Names}");
            var listId = list is null ? (long?)null : (await audience.Lists.ResolveAsync(list, ctx.RequestAborted)).Id;
            var query = segment is null ? null : await audience.Segments.ResolveAsync(segment, ctx.RequestAborted);
            return new ExportResult(audience, kind, listId, query);
        }).RequireScope("contacts:read").Produces<string>(200, "text/csv", "application/x-ndjson")
            .WithSummary("Export contacts of a list and/or a segment: format=csv, excel (CSV for spreadsheet programs: UTF-8 with a byte order mark, semicolons) or jsonl");
    }

    private sealed class ExportResult(AudienceService audience, ExportFormat format, long? listId, SegmentQuery? segment) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var csv = format != ExportFormat.JsonLines;
            httpContext.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"contacts.{(csv ? "csv" : "jsonl")}\"";
            await audience.Exporter.ExportAsync(httpContext.Response.Body, format, listId, segment, httpContext.RequestAborted);
        }
    }
}
