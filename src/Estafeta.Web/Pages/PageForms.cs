using Microsoft.AspNetCore.Http;

namespace Estafeta.Web.Pages;

/// <summary>Reading the form a page was sent.</summary>
internal static class PageForms
{
    /// <summary>The posted form, or null when the body cannot be read as one: multipart without its boundary or cut
    /// short, more than 1024 fields, a field name over 2 KB. Read directly, such a body failed the request with a 500
    /// and an exception in the log; the pages are public, so anyone could send one. A body over the size limit still
    /// throws, for the 413 answered where requests fail.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext ctx)
    {
        try
        {
            return await ctx.Request.ReadFormAsync(ctx.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ctx.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
    }
}
