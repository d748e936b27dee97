using MimeKit;

namespace Estafeta.EndToEnd.Authentication;

public sealed class AuthenticationCliTests(AuthenticationFixture server) : IClassFixture<AuthenticationFixture>
{
    private Task<EstafetaProcess.Result> RunAsync(string? stdin, params string[] args) =>
        EstafetaProcess.RunAsync(stdin, [.. args, "--data", server.DataDirectory, "--dns", server.DnsOption, "--hostname", "mx.ejemplo.test"]);

    [Fact]
    public async Task Domain_check_exits_zero_for_a_correct_zone_and_one_with_the_fixes_for_a_broken_one()
    {
        var good = await RunAsync(null, "domain", "check", "ejemplo.test");
        Assert.True(good.ExitCode == 0, good.Stdout + good.Stderr);
        Assert.Contains("ejemplo.test: all required records are in place.", good.Stdout, StringComparison.Ordinal);
        // An ok row says what was found.
        Assert.Contains("authorises 127.0.0.1; 0 DNS lookups", good.Stdout, StringComparison.Ordinal);

        var broken = await RunAsync(null, "domain", "check", "roto.test");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("fix: replace the MX records with: roto.test. 3600 IN MX 10 mx.ejemplo.test.", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix: publish: roto.test. 3600 IN TXT \"v=spf1 ip4:198.51.100.1 ip4:127.0.0.1 -all\"", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix: publish: _dmarc.roto.test. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@roto.test\"", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix: publish: e", broken.Stdout, StringComparison.Ordinal);
        Assert.Contains("._domainkey.roto.test. 3600 IN TXT (", broken.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Domain_records_prints_the_zone_lines_to_publish()
    {
        var records = await RunAsync(null, "domain", "records", "ejemplo.test");

        Assert.True(records.ExitCode == 0, records.Stderr);
        Assert.Contains("\nejemplo.test. 3600 IN MX 10 mx.ejemplo.test.\n", records.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nejemplo.test. 3600 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n", records.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n_dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@ejemplo.test\"\n", records.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_check_verbs_print_the_result_word_first()
    {
        var spf = await RunAsync(null, "auth", "spf", "--ip", "127.0.0.1", "--mail-from", "news@remitente.test", "--helo", "mail.remitente.test");
        Assert.True(spf.ExitCode == 0, spf.Stderr);
        Assert.StartsWith("pass\n", spf.Stdout, StringComparison.Ordinal);
        Assert.Contains("mechanism: ip4:127.0.0.1", spf.Stdout, StringComparison.Ordinal);

        var refused = await RunAsync(null, "auth", "spf", "--ip", "192.0.2.1", "--mail-from", "news@remitente.test");
        Assert.StartsWith("fail\n", refused.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);

        var signed = Messages.WireBytes(server.Signed(Messages.Simple("news@remitente.test", "ana@ejemplo.test", "Verificar", "Hola.\r\n")));
        var text = System.Text.Encoding.UTF8.GetString(signed);
        var dkim = await RunAsync(text, "auth", "dkim-verify");
        Assert.StartsWith("pass\ndkim=pass (signature verified) header.d=remitente.test", dkim.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, dkim.ExitCode);
        var altered = await RunAsync(text.Replace("Hola.", "Adiós.", StringComparison.Ordinal), "auth", "dkim-verify", "--json");
        Assert.Equal(1, altered.ExitCode);
        Assert.Contains("\"result\": \"fail\"", altered.Stdout, StringComparison.Ordinal);
        // The same message saved by a program that ends lines in LF: verified as its CRLF wire form.
        var lf = await RunAsync(text.Replace("\r\n", "\n", StringComparison.Ordinal), "auth", "dkim-verify");
        Assert.StartsWith("pass\ndkim=pass (signature verified) header.d=remitente.test", lf.Stdout, StringComparison.Ordinal);

        var dmarc = await RunAsync(text, "auth", "dmarc", "--ip", "127.0.0.1", "--mail-from", "news@remitente.test", "--helo", "mail.remitente.test");
        Assert.StartsWith("pass\ndmarc=pass (p=reject dis=none) header.from=remitente.test", dmarc.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, dmarc.ExitCode);

        var spoofed = Messages.WireBytes(Messages.Simple("director@remitente.test", "ana@ejemplo.test", "Falso", "Hola.\r\n"));
        var fail = await RunAsync(System.Text.Encoding.UTF8.GetString(spoofed), "auth", "dmarc", "--ip", "127.0.0.1", "--mail-from", "x@otro.test");
        Assert.StartsWith("fail\ndmarc=fail (p=reject dis=reject) header.from=remitente.test", fail.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, fail.ExitCode);
    }

    [Fact]
    public async Task Dkim_sign_signs_with_the_domains_stored_keys()
    {
        var message = System.Text.Encoding.UTF8.GetString(Messages.WireBytes(Messages.Simple("ana@ejemplo.test", "cliente@remoto.test", "Firmar", "Hola.\r\n")));

        var signed = await RunAsync(message, "auth", "dkim-sign", "--domain", "ejemplo.test");
        Assert.True(signed.ExitCode == 0, signed.Stderr);
        Assert.StartsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=ejemplo.test;", signed.Stdout, StringComparison.Ordinal);

        var verified = await RunAsync(signed.Stdout, "auth", "dkim-verify");
        Assert.StartsWith("pass\n", verified.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, verified.Stdout.Split("dkim=pass").Length - 1);
    }
}
