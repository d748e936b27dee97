using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

/// <summary>
/// Idempotency keys on POST (the <c>Idempotency-Key</c> header): the first request with a key runs and its answer
/// is stored per API key; a retry with the same key and the same request gets the stored answer again
/// (its status, content type, body and headers such as <c>Location</c>, with <c>Idempotency-Replayed: true</c>); the same key with a different request is refused (422), and so is a
/// retry while the first request is still running (409). Keys are kept for 24 hours.
/// </summary>
public sealed class Idempotency(Database db)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task<object?> RunAsync(HttpContext context, ApiKey key, string idempotencyKey, Func<Task<object?>> run)
    {
        if (idempotencyKey.Length > 255) return Problems.For(context, StatusCodes.Status400BadRequest, "the Idempotency-Key is longer than 255 characters", "bad-request");
        context.Request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
        context.Request.Body.Position = 0;
        var requestHash = Convert.ToHexStringLower(hash.GetHashAndReset());
        var ct = context.RequestAborted;

        await using (var connection = await db.OpenAsync(ct))
        {
            var now = AudienceSql.Now(db);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM idempotency_keys WHERE created_at < @cutoff", new { cutoff = now - (long)Lifetime.TotalMilliseconds }, cancellationToken: ct));
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash, status, body, created_at)
                VALUES (@keyId, @idempotencyKey, @requestHash, 0, '', @now) ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
                """, new { keyId = key.Id, idempotencyKey, requestHash, now }, cancellationToken: ct));
            if (claimed == 0)
            {
                var stored = await connection.QuerySingleAsync<(string RequestHash, long Status, string Body, string ContentType, string Headers)>(new CommandDefinition(
                    "SELECT request_hash, status, body, content_type, headers FROM idempotency_keys WHERE api_key_id = @keyId AND idempotency_key = @idempotencyKey",
                    new { keyId = key.Id, idempotencyKey }, cancellationToken: ct));
                if (stored.RequestHash != requestHash)
                {
                    return Problems.For(context, StatusCodes.Status422UnprocessableEntity, "this Idempotency-Key was used with a different request", "idempotency-mismatch");
                }

                if (stored.Status == 0)
                {
                    return Problems.For(context, StatusCodes.Status409Conflict, "a request with this Idempotency-Key is still running; retry later", "idempotency-in-progress");
                }

                // An answer stored before its content type and headers were (migration 383) had no headers to keep.
                var contentType = stored.ContentType.Length > 0 ? stored.ContentType
                    : stored.Body.Contains("\"type\":", StringComparison.Ordinal) && stored.Status >= 400 ? Problems.ContentType : "application/json";
                var replay = new ApiResult((int)stored.Status, stored.Body, contentType);
                if (stored.Headers.Length > 0)
                    foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Headers) ?? [])
                        replay.With(name, value);
                return replay.With("Idempotency-Replayed", "true");
            }
        }

        object? result;
        try
        {
            result = await run();
        }
        catch
        {
            await ForgetAsync(key.Id, idempotencyKey);
            throw;
        }

        if (result is ApiResult api && api.Status < 500)
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE idempotency_keys SET status = @status, body = @body, content_type = @contentType, headers = @headers
                WHERE api_key_id = @keyId AND idempotency_key = @idempotencyKey
                """,
                new { status = (long)api.Status, body = api.Body, contentType = api.ContentType, headers = JsonSerializer.Serialize(api.Headers), keyId = key.Id, idempotencyKey }));
        }
        else
        {
            await ForgetAsync(key.Id, idempotencyKey);
        }

        return result;
    }

    private async Task ForgetAsync(long keyId, string idempotencyKey)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE api_key_id = @keyId AND idempotency_key = @idempotencyKey", new { keyId, idempotencyKey }));
    }
}
