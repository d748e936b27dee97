using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

/// <summary>The request body is missing or is not the JSON the endpoint takes (400).</summary>
public sealed class ApiBadRequestException(string message) : Exception(message);

public static class ApiBody
{
    /// <summary>The body as <typeparamref name="T"/>. A member the request does not take is refused (400, naming it and
    /// what the request takes, with the nearest name when one is a typo away): ignored, as it was, <c>{"nme": "Ana"}</c>
    /// answered 200 and changed nothing. Members only answers have (<see cref="AnswerOnlyMembers"/>) are let through and
    /// ignored, so that an item read from the API can be sent back changed.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiBadRequestException($"send the body as application/json, not {type}");
        }

        if (context.Request.ContentLength == 0) throw new ApiBadRequestException("the body is empty; send a JSON object");
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.ValueKind == JsonValueKind.Object) CheckMembers(document.RootElement, typeof(T));
            return document.RootElement.Deserialize<T>(ApiResult.Json) ?? throw new ApiBadRequestException("the body is empty (null)");
        }
        catch (JsonException e) when (e.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            throw new ApiBadRequestException("the body is empty; send a JSON object");
        }
        catch (JsonException e) when (e.Path is { } path && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            // The serializer's own words name a .NET type; say which member holds a value of the wrong kind instead.
            throw new ApiBadRequestException($"the body is not valid JSON for this request: the value at {path} is not of the kind this member takes (or not valid UTF-8)");
        }
        catch (JsonException e)
        {
            throw new ApiBadRequestException($"the body is not valid JSON for this request: {e.Message}");
        }
    }

    /// <summary>Members of the API's answers that no request sets (ids, times, computed values).</summary>
    public static readonly FrozenSet<string> AnswerOnlyMembers =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "id", "createdAt", "updatedAt", "validation", "pausedUntil", "counts");

    private static void CheckMembers(JsonElement body, Type type)
    {
        var members = ApiResult.Json.GetTypeInfo(type).Properties.Select(p => p.Name).ToList();
        foreach (var member in body.EnumerateObject())
        {
            var name = member.Name;
            if (members.Contains(name, StringComparer.OrdinalIgnoreCase) || AnswerOnlyMembers.Contains(name)) continue;
            throw new ApiBadRequestException($"the body has a member this request does not take: '{name}'"
                + NearestName.Suggestion(name, members) + $"; it takes {string.Join(", ", members)}");
        }
    }
}
