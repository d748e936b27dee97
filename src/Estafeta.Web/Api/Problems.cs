using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Estafeta.Web.Api;

/// <summary>RFC 9457 problem details: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>instance</c>, plus extension members.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ApiResult Create(int status, string detail, string? instance = null, string? type = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = type is null ? "about:blank" : "/api/v1/problems/" + type,
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (instance is not null) body["instance"] = instance;
        foreach (var (k, v) in extensions ?? new Dictionary<string, object?>()) body[k] = v;
        return new ApiResult(status, JsonSerializer.Serialize(body, ApiResult.Json), ContentType);
    }

    public static ApiResult For(HttpContext context, int status, string detail, string? type = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        Create(status, detail, context.Request.Path.Value, type, extensions);
}
