using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

/// <summary>The request body is missing or is not the JSON the endpoint takes (400).</summary>
public sealed class ApiBadRequestException(string message) : Exception(message);

public static class ApiBody
{
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
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, ApiResult.Json, context.RequestAborted)
                ?? throw new ApiBadRequestException("the body is empty (null)");
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
}
