using Estafeta.Marketing.Audience;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

internal static class ApiContext
{
    public static ApiKey Key(this HttpContext context) => (ApiKey)context.Items[ApiGate.KeyItem]!;

    /// <summary>Consent evidence for a change made through the API: the key's name and prefix, and the person's IP and agent when the caller passed them.</summary>
    public static ConsentEvidence Evidence(this HttpContext context, string? ip = null, string? userAgent = null, string? consentText = null)
    {
        var key = context.Key();
        return new ConsentEvidence(ConsentSourceKind.Api, $"API key {key.Name} ({key.Prefix})", ip ?? context.Connection.RemoteIpAddress?.ToString(), userAgent, consentText);
    }
}
