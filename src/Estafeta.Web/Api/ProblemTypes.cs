using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Estafeta.Web.Api;

/// <summary>
/// The documentation behind each problem <c>type</c> the API answers with (<c>/api/v1/problems/{name}</c>): RFC 9457
/// §3.1.1 asks that a type URI, when dereferenced, explains the problem to people. Served without an API key.
/// </summary>
public static class ProblemTypes
{
    public static readonly IReadOnlyDictionary<string, (int Status, string Text)> All = new Dictionary<string, (int, string)>(StringComparer.Ordinal)
    {
        ["unauthorized"] = (401, "No API key was sent, or the key is unknown or revoked. Send Authorization: Bearer est_... with a key made by 'estafeta apikey create'."),
        ["forbidden"] = (403, "The API key lacks the scope this endpoint needs; the detail names it. Create a key with that scope ('estafeta apikey create --scope ...')."),
        ["rate-limited"] = (429, "The API key made more requests this minute than its limit allows. Wait the seconds given in Retry-After."),
        ["not-found"] = (404, "The contact, list, segment, import, suppression entry or endpoint does not exist."),
        ["method-not-allowed"] = (405, "The endpoint exists but not under this HTTP method; the Allow header and the detail name the ones it takes."),
        ["too-large"] = (413, "The request body is larger than the endpoint takes: 1 MB for JSON, 1 GB for an import file."),
        ["unsupported-media-type"] = (415, "The endpoint takes a JSON body: send it with Content-Type: application/json."),
        ["conflict"] = (409, "The request contradicts what is stored: a name already in use, an address erased at the person's request, a suppression that cannot be lifted."),
        ["invalid"] = (422, "A value in the request is not acceptable: the detail says which and why."),
        ["bad-request"] = (400, "The request could not be read: the body is not JSON of the expected shape, or a required member is missing."),
        ["segment-syntax"] = (422, "The segment expression has a mistake; 'position' is the character where it was found (see docs/segments.md)."),
        ["suppressed"] = (409, "The address is on the suppression list (unsubscribed everywhere, hard bounce, complaint, manual or erased) and cannot be subscribed."),
        ["resend-too-soon"] = (429, "A confirmation mail went to this subscription a moment ago; wait before asking for another."),
        ["idempotency-mismatch"] = (422, "This Idempotency-Key was first used with a different request; use a new key for a new request."),
        ["idempotency-in-progress"] = (409, "The first request with this Idempotency-Key is still running; retry when it has finished to get its answer."),
        ["internal"] = (500, "The server failed to answer; the error is in its log."),
    };

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/problems/{name}", (HttpContext ctx, string name) =>
            All.TryGetValue(name, out var p)
                ? Results.Text($"{name} ({p.Status} {ReasonPhrase(p.Status)})\n\n{p.Text}\n", "text/plain; charset=utf-8")
                : (IResult)Problems.For(ctx, StatusCodes.Status404NotFound, $"there is no problem type '{name}'", "not-found"))
            .ExcludeFromDescription();

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
