using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Pages;

/// <summary>The hosted pages' HTML: one small self-contained layout, every value HTML-encoded, no scripts.</summary>
internal static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>HTML-encodes markup characters and quotes; letters of every script stay readable (ñ, ó).</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static IResult Page(string lang, string title, string body, int status = StatusCodes.Status200OK, bool embeddable = false) =>
        new PageResult(status, $$"""
            <!doctype html>
            <html lang="{{E(lang)}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>{{E(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#222}
            label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=text],select{width:100%;padding:.5rem;box-sizing:border-box}
            button{margin-top:1rem;padding:.6rem 1.2rem}.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
            .small{font-size:.85rem;color:#555}</style></head>
            <body><h1>{{E(title)}}</h1>
            {{body}}
            </body></html>
            """, embeddable);

    private sealed class PageResult(int status, string html, bool embeddable) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'" +
                (embeddable ? "" : "; frame-ancestors 'none'");
            await response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
