using System.Net;
using Estafeta.Hosting;

namespace Estafeta.EndToEnd;

/// <summary>The MTA-STS policy file as a sending server fetches it: GET /.well-known/mta-sts.txt with the Host
/// mta-sts.DOMAIN (RFC 8461 §3.3), through the real HTTP listener.</summary>
public class MtaStsPolicyTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<HttpResponseMessage> FetchAsync(string host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{server.Http}{MtaStsPolicyEndpoint.PolicyPath}");
        request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_local_domain_gets_the_policy_its_record_announces()
    {
        using var response = await FetchAsync("mta-sts.ejemplo.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var policy = await response.Content.ReadAsStringAsync();
        Assert.Equal(Estafeta.Mail.Authentication.DomainRecords.MtaStsPolicy("mx.ejemplo.test"), policy);
        Assert.StartsWith("version: STSv1\r\n", policy, StringComparison.Ordinal);
        Assert.Contains("\r\nmx: mx.ejemplo.test\r\n", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_is_compared_without_case_and_trailing_dot()
    {
        using var response = await FetchAsync("MTA-STS.Ejemplo.Test.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("mta-sts.otro.test")]
    [InlineData("ejemplo.test")]
    [InlineData("mta-sts.")]
    [InlineData("mta-sts.-bad-.test")]
    public async Task Other_hosts_get_404_and_no_redirect(string host)
    {
        using var response = await FetchAsync(host);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
