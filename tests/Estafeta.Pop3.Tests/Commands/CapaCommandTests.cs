using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class CapaCommandTests
{
    [Fact]
    public async Task Capa_lists_the_extensions_the_server_offers()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        var (status, lines) = await client.MultiLineCommandAsync("CAPA");

        Assert.StartsWith("+OK", status);
        Assert.Equal(
            ["TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER", "USER", "SASL PLAIN", "STLS", "IMPLEMENTATION Estafeta"],
            lines);
    }

    [Fact]
    public async Task Capa_before_tls_hides_plaintext_login_when_it_is_not_allowed()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();

        var (_, lines) = await client.MultiLineCommandAsync("CAPA");

        Assert.DoesNotContain("USER", lines);
        Assert.DoesNotContain("SASL PLAIN", lines);
        Assert.Contains("STLS", lines);
    }

    [Fact]
    public async Task Capa_after_stls_offers_login_and_no_longer_offers_stls()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("STLS"));
        await client.HandshakeAsync();

        var (_, lines) = await client.MultiLineCommandAsync("CAPA");

        Assert.Contains("USER", lines);
        Assert.Contains("SASL PLAIN", lines);
        Assert.DoesNotContain("STLS", lines);
    }

    [Fact]
    public async Task Capa_without_a_certificate_does_not_offer_stls()
    {
        await using var server = Pop3Harness.Start(o => o with { Certificate = null });
        await using var client = await server.ConnectAsync();

        var (_, lines) = await client.MultiLineCommandAsync("CAPA");

        Assert.DoesNotContain("STLS", lines);
    }

    [Fact]
    public async Task Capa_is_answered_after_login_with_the_same_list()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();
        var (_, before) = await client.MultiLineCommandAsync("CAPA");
        await client.LoginAsync("alice", "secret");

        var (status, after) = await client.MultiLineCommandAsync("capa");

        Assert.StartsWith("+OK", status);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Capa_with_an_argument_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Syntax: CAPA", await client.CommandAsync("CAPA ALL"));
    }
}
