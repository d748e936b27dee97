using System.Collections.Frozen;
using System.Text.Json;
using Estafeta.Storage;
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
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        // The JSON reader leaves strings undecoded until they are read: a member name that is not UTF-8 failed in the
        // middle of reading the request (a 500), a value as a member of the wrong kind. Say so for the whole body first.
        if (InvalidUtf8At(body.Span) is { } at) throw new ApiBadRequestException($"the body is not valid UTF-8 (byte {at}); send JSON in UTF-8");
        if (UnreadableStringIn(body.Span) is { } unreadable) throw new ApiBadRequestException(unreadable);
        try
        {
            // A member given twice was read as its last value, and the first one quietly dropped.
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
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
            throw new ApiBadRequestException($"the body is not valid JSON for this request: the value at {path} is not of the kind this member takes");
        }
        catch (JsonException e)
        {
            throw new ApiBadRequestException($"the body is not valid JSON for this request: {e.Message}");
        }
    }

    /// <summary>The offset of the first byte that is not UTF-8, or null when all are.</summary>
    private static int? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done) offset += consumed;
        return offset;
    }

    /// <summary>What is wrong with the first string (member name or value) whose \u escapes give text the API cannot
    /// take, or null when there is none: half a surrogate pair without the other half (<c>"\ud800"</c>), which failed the
    /// request with a 500 when read; or U+0000, which PostgreSQL cannot store in text (a 500 there) and SQLite would keep
    /// in a name. A body that is not JSON is left to the parser to describe.</summary>
    private static string? UnreadableStringIn(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String) || !reader.ValueIsEscaped) continue;
                string text;
                try
                {
                    text = reader.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return $"the string at byte {reader.TokenStartIndex} of the body is not valid Unicode: a \\u escape of half a surrogate pair without the other half";
                }

                if (StorableText.FaultAt(text, out var why) >= 0) return $"the string at byte {reader.TokenStartIndex} of the body holds {why}";
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Members of the API's answers that no request sets (ids, times, computed values).</summary>
    public static readonly FrozenSet<string> AnswerOnlyMembers =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "id", "createdAt", "updatedAt", "validation", "pausedUntil", "counts");

    private static void CheckMembers(JsonElement body, Type type)
    {
        var members = ApiResult.Json.GetTypeInfo(type).Properties.Select(p => p.Name).ToList();
        // Members are matched whatever their case, so "email" and "Email" are one member given twice.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in body.EnumerateObject())
        {
            var name = member.Name;
            if (seen.TryGetValue(name, out var first))
                throw new ApiBadRequestException($"the body gives the member '{first}' twice (as '{first}' and '{name}'); give it once");
            seen[name] = name;
            if (members.Contains(name, StringComparer.OrdinalIgnoreCase) || AnswerOnlyMembers.Contains(name)) continue;
            throw new ApiBadRequestException($"the body has a member this request does not take: '{name}'"
                + NearestName.Suggestion(name, members) + $"; it takes {string.Join(", ", members)}");
        }
    }
}
