using Estafeta.Marketing.Audience;
using Estafeta.Web.Api;
using Estafeta.Web.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Estafeta.Web;

/// <summary>
/// Puts the web side of the audience into the host's web application: the REST API under <c>/api/v1</c> (with its
/// OpenAPI document at <c>/api/v1/openapi.json</c>), the hosted subscribe, confirm, unsubscribe and preference
/// pages, the hourly expiry of unconfirmed subscriptions, and the suppression of addresses that hard-bounce or complain.
/// </summary>
public static class EstafetaWeb
{
    /// <summary>Registers what the endpoints need; call on the builder before <c>Build()</c>.</summary>
    public static IServiceCollection AddEstafetaWeb(this IServiceCollection services)
    {
        services.AddEstafetaOpenApi();
        return services;
    }

    private static readonly string[] ConsentPagePaths = ["/subscribe", "/confirm", "/unsubscribe", "/preferences"];

    /// <summary>A request to a page that cannot be read (a form over the size limit) answers with its status and one line.
    /// A request under /api/v1 that reaches no endpoint gets problem details, as every other API error does: 404 for a path
    /// the API does not have; 405 (with Allow, which routing sets) for one it has under other methods; 415 for a body that
    /// is not JSON where the endpoint takes JSON. Routing answers the last two with an empty body of its own; a route
    /// matching every path, as there was, hid them behind a 404.</summary>
    private static async Task RequestErrors(HttpContext ctx, RequestDelegate next)
    {
        if (!ctx.Request.Path.StartsWithSegments("/api/v1"))
        {
            try
            {
                await next(ctx);
                // A consent page asked with another method (PUT), a path under one that no page has (/subscribe/abc), or
                // the embed snippet of a list there is not: routing's empty 404 or 405, a blank page to a person.
                if (!ctx.Response.HasStarted && ctx.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
                    && ConsentPagePaths.Any(p => ctx.Request.Path.StartsWithSegments(p)) && !HttpMethods.IsHead(ctx.Request.Method))
                {
                    ctx.Response.ContentType = "text/plain; charset=utf-8";
                    await ctx.Response.WriteAsync(ctx.Response.StatusCode == StatusCodes.Status404NotFound
                        ? "There is no such page; check the link.\n"
                        : $"This page takes {ctx.Response.Headers.Allow}, not {ctx.Request.Method}.\n");
                }
            }
            catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
            {
                // A request to a page that cannot be read, such as a form over the 1 MB limit: its status and a line saying
                // why, not an error with a stack trace in the log for each one (the pages are public).
                ctx.Response.StatusCode = e.StatusCode;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync(e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The form is larger than this server takes ({Api.ApiGate.MaxBodyBytes / 1024} KB).\n"
                    : "The request could not be read.\n");
            }

            return;
        }

        // API answers carry a person's data under a key: no cache keeps them (an endpoint may say otherwise), and no
        // browser takes a JSON body for another type.
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        if (ctx.GetEndpoint() is null)
        {
            await Problems.For(ctx, StatusCodes.Status404NotFound, "there is no such API endpoint; see /api/v1/openapi.json", "not-found").ExecuteAsync(ctx);
            return;
        }

        await next(ctx);
        if (ctx.Response.HasStarted || ctx.Response.StatusCode is not (StatusCodes.Status405MethodNotAllowed or StatusCodes.Status415UnsupportedMediaType)) return;
        var problem = ctx.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
            ? Problems.For(ctx, StatusCodes.Status405MethodNotAllowed, $"{ctx.Request.Method} is not taken here; this endpoint takes {ctx.Response.Headers.Allow}", "method-not-allowed")
            : Problems.For(ctx, StatusCodes.Status415UnsupportedMediaType, $"send the body as application/json, not {ctx.Request.ContentType ?? "without a Content-Type"}", "unsupported-media-type");
        await problem.ExecuteAsync(ctx);
    }

    /// <summary>Maps the API and the pages, and starts the hourly expiry (it stops with the application).</summary>
    public static void MapEstafetaWeb(this WebApplication app, AudienceService audience, ILoggerFactory logging, TimeProvider? time = null)
    {
        time ??= audience.Database.Time;
        var limiter = new FixedWindowLimiter(TimeSpan.FromMinutes(1), time);
        var gate = new ApiGate(new ApiKeyStore(audience.Database), new Idempotency(audience.Database), limiter, logging.CreateLogger<ApiGate>());
        var api = app.MapGroup("/api/v1").AddEndpointFilter(gate);
        ContactsApi.Map(api, audience);
        ListsApi.Map(api, audience);
        ImportsApi.Map(api, audience);
        SegmentsApi.Map(api, audience);
        SuppressionApi.Map(api, audience);
        PrivacyApi.Map(api, audience);
        app.MapOpenApi("/api/v1/openapi.json");
        ProblemTypes.Map(app);
        app.Use(RequestErrors);

        var guard = new FormGuard(audience.Tokens, time, new FixedWindowLimiter(TimeSpan.FromHours(1), time));
        SubscribePages.Map(app, audience, guard);
        ConsentPages.Map(app, audience);
        UnconfirmedExpiry.Start(audience, logging.CreateLogger<UnconfirmedExpiry>(), app.Lifetime.ApplicationStopping);
        DeliveryFeedbackLoop.Start(audience, logging.CreateLogger<DeliveryFeedbackLoop>(), app.Lifetime.ApplicationStopping);
    }
}
