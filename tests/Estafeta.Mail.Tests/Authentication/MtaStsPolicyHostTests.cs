using System.Net;
using System.Net.Sockets;
using System.Text;
using Estafeta.Mail.Authentication;
using Estafeta.Testing;

namespace Estafeta.Mail.Tests.Authentication;

/// <summary>domain check fetches an MTA-STS policy from the host the product's own resolver names (so <c>--dns</c>
/// applies), over a real socket: a server on loopback and a zone that points the policy host at it.</summary>
public sealed class MtaStsPolicyHostTests
{
    [Fact]
    public async Task The_policy_host_is_found_through_the_products_resolver_and_fetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = ServeOnceAsync(listener, "version: STSv1\r\nmode: testing\r\nmx: mx.ejemplo.test\r\nmax_age: 86400\r\n");
        // Only the zone knows this name: the system's resolver would not.
        var dns = new InMemoryDnsResolver(new DnsZone().AddA("mta-sts.ejemplo.test", "127.0.0.1"));
        using var http = new HttpClient(MtaStsCheck.PolicyHostHandler(dns));

        var body = await http.GetStringAsync($"http://mta-sts.ejemplo.test:{port}/.well-known/mta-sts.txt");

        Assert.StartsWith("version: STSv1", body, StringComparison.Ordinal);
        Assert.StartsWith("GET /.well-known/mta-sts.txt HTTP/1.1", await served, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://nadie.ejemplo.test:{port}/"));
        Assert.Contains("nadie.ejemplo.test has no address", missing.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Answers one request with <paramref name="policy"/> as text/plain; returns the request's first line.</summary>
    private static async Task<string> ServeOnceAsync(TcpListener listener, string policy)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var body = Encoding.ASCII.GetBytes(policy);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(body);
        return request.ToString();
    }
}
