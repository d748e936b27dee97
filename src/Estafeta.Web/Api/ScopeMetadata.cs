using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Api;

/// <summary>The scope an endpoint needs; read by <see cref="ApiGate"/>.</summary>
public sealed record ScopeMetadata(string Scope);

public static class ScopeMetadataExtensions
{
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder builder, string scope) =>
        builder.WithMetadata(new ScopeMetadata(scope));
}
