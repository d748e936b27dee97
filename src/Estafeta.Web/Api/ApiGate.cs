using System.Globalization;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Estafeta.Web.Api;

/// <summary>
/// Runs around every <c>/api/v1</c> endpoint: authenticates the bearer API key (401), checks the endpoint's scope
/// (403), applies the key's per-minute rate limit (429 with Retry-After), replays idempotent POSTs, and turns every
/// error into RFC 9457 problem details.
/// </summary>
public sealed partial class ApiGate(ApiKeyStore keys, Idempotency idempotency, FixedWindowLimiter limiter, ILogger<ApiGate> log) : IEndpointFilter
{
    public const string KeyItem = "estafeta.api-key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        try
        {
            var header = context.Request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            var key = presented.Length == 0 ? null : await keys.AuthenticateAsync(presented, context.RequestAborted);
            if (key is null)
            {
                return Problems.For(context, StatusCodes.Status401Unauthorized,
                    presented.Length == 0 ? "send an API key: Authorization: Bearer est_..." : "the API key is unknown or revoked", "unauthorized")
                    .With("WWW-Authenticate", "Bearer");
            }

            var scope = context.GetEndpoint()?.Metadata.GetMetadata<ScopeMetadata>()?.Scope;
            if (scope is not null && !ApiScopes.Allows(key.Scopes, scope))
            {
                return Problems.For(context, StatusCodes.Status403Forbidden, $"this API key lacks the scope {scope}", "forbidden");
            }

            if (!limiter.TryAcquire("key:" + key.Id.ToString(CultureInfo.InvariantCulture), key.RatePerMinute, out var retry))
            {
                return Problems.For(context, StatusCodes.Status429TooManyRequests, $"this API key may make {key.RatePerMinute} requests a minute", "rate-limited")
                    .With("Retry-After", Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            }

            if (QueryProblem(context) is { } query) return Problems.For(context, StatusCodes.Status400BadRequest, query, "bad-request");

            context.Items[KeyItem] = key;
            // An answer that holds personal data (a GDPR export) is not stored for replays; running it again is harmless.
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Headers.TryGetValue("Idempotency-Key", out var idem) && idem.ToString().Length > 0
                && context.GetEndpoint()?.Metadata.GetMetadata<PersonalAnswerMetadata>() is null)
            {
                return await idempotency.RunAsync(context, key, idem.ToString(), async () => await next(invocation));
            }

            return await next(invocation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProblemFor(context, e);
        }
    }

    /// <summary>What to say of the query string, or null when the endpoint can read it: a parameter it does not take,
    /// one given twice, or a value not of the parameter's kind. A misspelt parameter was ignored:
    /// <c>/api/v1/exports?segmnt=vip</c> exported every contact, <c>?limt=10</c> gave the default page; a value the
    /// binder could not read (<c>?limit=abc</c>, <c>?limit=1&amp;limit=2</c>, <c>?since=ayer</c>) was a 400 with an empty
    /// body.</summary>
    private static string? QueryProblem(HttpContext context)
    {
        if (context.Request.Query.Count == 0) return null;
        var parameters = context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IParameterBindingMetadata>()
            .Where(p => p.ParameterInfo.ParameterType != typeof(HttpContext) && !context.Request.RouteValues.ContainsKey(p.Name))
            .ToList() ?? [];
        var taken = parameters.Select(p => p.Name).ToList();
        foreach (var (name, values) in context.Request.Query)
        {
            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (parameter is null)
            {
                return $"this endpoint does not take the query parameter '{name}'" + NearestName.Suggestion(name, taken)
                    + (taken.Count == 0 ? "; it takes none" : $"; it takes {string.Join(", ", taken)}");
            }

            var type = parameter.ParameterInfo.ParameterType;
            // U+0000 reached PostgreSQL in a segment or a campaign name, which it cannot hold in text: a 500 there.
            foreach (var value in values)
                if (value is not null && StorableText.FaultAt(value, out var why) >= 0) return $"the query parameter '{parameter.Name}' holds {why}";
            if (type.IsArray) continue;
            if (values.Count > 1) return $"the query parameter '{parameter.Name}' is given {values.Count} times; give it once";
            if (QueryValueKind(Nullable.GetUnderlyingType(type) ?? type, values.ToString()) is { } kind)
                return $"the query parameter '{parameter.Name}' takes {kind}, not '{Shortened(values.ToString())}'";
        }

        return null;
    }

    /// <summary>The kind of value a query parameter of <paramref name="type"/> takes when <paramref name="value"/> is not
    /// one (read as the endpoint's binder reads it), else null.</summary>
    private static string? QueryValueKind(Type type, string value)
    {
        if (type == typeof(int)) return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "a whole number";
        if (type == typeof(long)) return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "a whole number";
        if (type == typeof(bool)) return bool.TryParse(value, out _) ? null : "true or false";
        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces, out _)
                ? null : "a date and time such as 2026-01-31T09:00:00Z";
        }

        return null;
    }

    private static string Shortened(string value) => value.Length <= 100 ? value : value[..100] + "…";

    /// <summary>The largest request body an endpoint takes (the web host's limit); the import raises its own.</summary>
    public const long MaxBodyBytes = 1 << 20;

    private const int MaxEchoedExpression = 4000;

    public ApiResult ProblemFor(HttpContext context, Exception e)
    {
        switch (e)
        {
            case SegmentSyntaxException s:
                // The expression is given back to point into, but not past the longest one the language takes.
                return Problems.For(context, StatusCodes.Status422UnprocessableEntity, s.Message, "segment-syntax",
                    new Dictionary<string, object?> { ["position"] = s.Position, ["expression"] = s.Expression.Length <= MaxEchoedExpression ? s.Expression : s.Expression[..MaxEchoedExpression] + "…" });
            case NotFoundException:
                return Problems.For(context, StatusCodes.Status404NotFound, e.Message, "not-found");
            case ConflictException:
                return Problems.For(context, StatusCodes.Status409Conflict, e.Message, "conflict");
            case InvalidInputException:
                return Problems.For(context, StatusCodes.Status422UnprocessableEntity, e.Message, "invalid");
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return Problems.For(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than this endpoint takes ({MaxBodyBytes / 1024} KB; an import up to 1 GB)", "too-large");
            case ApiBadRequestException or BadHttpRequestException:
                return Problems.For(context, StatusCodes.Status400BadRequest, e.Message, "bad-request");
            case StorageException:
                return Problems.For(context, StatusCodes.Status422UnprocessableEntity, e.Message, "invalid");
            default:
                LogFailure(log, e, context.Request.Method, context.Request.Path.Value ?? "");
                return Problems.For(context, StatusCodes.Status500InternalServerError, "the request failed; the error is in the server log", "internal");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception e, string method, string path);
}
