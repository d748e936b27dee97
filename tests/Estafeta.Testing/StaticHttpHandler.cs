using System.Net;
using System.Text;

namespace Estafeta.Testing;

/// <summary>An HTTP handler that answers every request with one fixed response (an MTA-STS policy file, by default
/// as text/plain), and keeps the addresses asked for.</summary>
public sealed class StaticHttpHandler(string body, string contentType = "text/plain", HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add(request.RequestUri!);
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) });
    }
}
