using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Estafeta.Web.Api;

/// <summary>
/// The OpenAPI document at <c>/api/v1/openapi.json</c>, made to describe what the API does on the wire, so that a client
/// generated from it works as it is:
/// <list type="bullet">
/// <item>the schemas come from the options the API serialises with (<see cref="ApiResult.Json"/>): enums are the
/// kebab-case words the API sends and takes ("subscribed"), not the integers the generator assumed without them;</item>
/// <item>the bearer key is a security scheme, and each operation names the scope it needs (OpenAPI 3.1 lets a
/// requirement of a scheme other than OAuth list the roles it needs);</item>
/// <item>every operation's errors are RFC 9457 problem details (<c>application/problem+json</c>), described once as
/// the <c>default</c> response.</item>
/// </list>
/// </summary>
public static class OpenApiDescription
{
    public const string SchemeName = "apiKey";

    public static IServiceCollection AddEstafetaOpenApi(this IServiceCollection services)
    {
        // The generator reads the schemas' shapes from the HTTP JSON options; the API writes with ApiResult.Json.
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Encoder = ApiResult.Json.Encoder;
            foreach (var converter in ApiResult.Json.Converters) options.SerializerOptions.Converters.Add(converter);
        });
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Estafeta API";
                document.Info.Version = "v1";
                document.Info.Description = "Contacts, lists, subscriptions, imports, segments, suppression and GDPR requests. "
                    + "Authenticate with Authorization: Bearer est_... (estafeta apikey create); each operation names the scope its key needs. "
                    + "Errors are RFC 9457 problem details; each problem type is described at its type URL.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "est_...",
                    Description = "An API key made by `estafeta apikey create NAME --scope ...`, sent as Authorization: Bearer KEY.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<ScopeMetadata>().LastOrDefault();
                if (scope is null) return Task.CompletedTask; // not an API operation: health, metrics, the MTA-STS policy
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [scope.Scope] }];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses["default"] = new OpenApiResponse
                {
                    Description = "An error, as RFC 9457 problem details: 400 a body or parameter that cannot be read, 401 no valid key, "
                        + "403 a key without the scope, 404 no such item, 409 a conflict, 413 a body over 1 MB, 422 a value refused, 429 the key's rate limit",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [Problems.ContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                    },
                };
                return Task.CompletedTask;
            });
        });
        return services;
    }

    private const string ProblemSchema = "ProblemDetails";

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; some problems add members of their own (an import's rejected rows, a segment's position)",
        Required = new HashSet<string> { "type", "title", "status", "detail" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("The problem type: /api/v1/problems/NAME, which describes it"),
            ["title"] = Text("The HTTP status's reason phrase"),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status" },
            ["detail"] = Text("What went wrong with this request, and how to put it right"),
            ["instance"] = Text("The request's path"),
        },
        AdditionalPropertiesAllowed = true,
        Examples = [JsonNode.Parse("""{"type":"/api/v1/problems/invalid","title":"Unprocessable Entity","status":422,"detail":"'ana@' cannot be mailed: an address needs a local part, an @ and a domain","instance":"/api/v1/contacts"}""")!],
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
