using System.Net.Http.Json;
using System.Text.Json;
using Estafeta.Hosting;
using MailKit.Security;
using MimeKit;

namespace Estafeta.EndToEnd;

public class HostTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Healthz_answers_ok_with_every_listener()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://{server.Http}/healthz");
        Assert.True(response.IsSuccessStatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", json.GetProperty("status").GetString());
        foreach (var name in new[] { "smtp", "submission", "submissions", "pop3", "pop3s" })
            Assert.Equal(server.Host.Endpoints[name].ToString(), json.GetProperty("listeners").GetProperty(name).GetProperty("address").GetString());
    }

    [Fact]
    public async Task Http_answers_do_not_name_the_server_software()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/healthz", "/api/v1/lists", "/no-such-page" })
        {
            using var response = await http.GetAsync($"http://{server.Http}{path}");
            Assert.Empty(response.Headers.Server);
        }
    }

    [Fact]
    public async Task Api_answers_are_not_cached_nor_sniffed()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/api/v1/lists", "/api/v1/no-such-endpoint" })
        {
            using var response = await http.GetAsync($"http://{server.Http}{path}");
            Assert.True(response.Headers.CacheControl?.NoStore, path);
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        }
    }

    [Fact]
    public async Task Ports_file_lists_the_bound_ports()
    {
        var ports = await PortsFile.ReadAsync(server.DataDirectory);
        foreach (var (name, endpoint) in server.Host.Endpoints)
        {
            Assert.Equal(endpoint, ports[name]);
            Assert.NotEqual(0, endpoint.Port);
        }
    }

    [Fact]
    public async Task Pop3_deletions_take_effect_at_quit()
    {
        var subject = "Borrar " + Guid.NewGuid();
        using (var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None))
            await smtp.SendAsync(Messages.Simple("a@remoto.test", "ana@ejemplo.test", subject, "x\r\n"));
        using (var pop = await MailClients.Pop3Async(server.Pop3, "ana@ejemplo.test"))
        {
            for (var i = 0; i < pop.Count; i++)
                if ((await pop.GetMessageAsync(i)).Subject == subject) await pop.DeleteMessageAsync(i);
            await pop.DisconnectAsync(quit: true);
        }
        var left = await MailClients.RetrieveAllAsync(server.Pop3, "ana@ejemplo.test");
        Assert.DoesNotContain(left, m => MimeMessage.Load(new MemoryStream(m)).Subject == subject);
    }
}
