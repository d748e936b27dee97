using System.Text.Json;
using System.Text.Json.Serialization;
using Estafeta.Marketing.Audience;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

/// <summary>
/// Every API answer: a status, a JSON body (problem details use <c>application/problem+json</c>) and extra headers.
/// Serialised to text first, so an idempotent POST can store exactly what was sent.
/// </summary>
public sealed class ApiResult(int status, string body, string contentType = "application/json") : IResult
{
    /// <summary>camelCase, enums as kebab-case words, letters as themselves (<see cref="JsonLetters"/>).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JsonLetters.Encoder,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        // Named, so that a request's members can be read from the options before anything was serialised with them.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public int Status { get; } = status;

    public string Body { get; } = body;

    public string ContentType { get; } = contentType;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static ApiResult Of<T>(int status, T value) => new(status, JsonSerializer.Serialize(value, Json));

    public static ApiResult Ok<T>(T value) => Of(StatusCodes.Status200OK, value);

    public static ApiResult Created<T>(T value) => Of(StatusCodes.Status201Created, value);

    public static ApiResult NoContent() => new(StatusCodes.Status204NoContent, "");

    public ApiResult With(string header, string value)
    {
        Headers[header] = value;
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        foreach (var (name, value) in Headers) httpContext.Response.Headers[name] = value;
        if (Status == StatusCodes.Status204NoContent) return;
        httpContext.Response.ContentType = ContentType;
        await httpContext.Response.WriteAsync(Body, httpContext.RequestAborted);
    }
}
