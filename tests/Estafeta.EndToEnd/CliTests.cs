using System.Text.Json;

namespace Estafeta.EndToEnd;

public sealed class CliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "estafeta-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    private Task<EstafetaProcess.Result> Run(params string[] args) => EstafetaProcess.RunAsync(null, [.. args, "--data", _data]);

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { "serve", "migrate", "domain add", "domain list", "domain remove", "account add", "account list", "account passwd", "account remove", "alias add", "alias remove" })
        {
            var result = await EstafetaProcess.RunAsync(null, [.. verb.Split(' '), "--help"]);
            Assert.True(result.ExitCode == 0, verb + ": " + result.Stderr);
            Assert.Contains("Usage:", result.Stdout);
        }
    }

    [Fact]
    public async Task Help_lists_every_verb_and_a_verb_is_found_after_the_global_options()
    {
        // Only the named verb's tree is built (Verbs); help and mistakes still see them all.
        var help = await EstafetaProcess.RunAsync(null, "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "serve", "migrate", "domain", "account", "alias", "lists", "contacts", "segments", "apikey", "queue", "auth", "dmarc", "tlsrpt" })
        {
            Assert.Matches(@"(?m)^\s+" + verb + @"\s", help.Stdout);
        }

        var misspelt = await EstafetaProcess.RunAsync(null, "segmnts", "list", "--data", _data);
        Assert.NotEqual(0, misspelt.ExitCode);
        Assert.Contains("segments", misspelt.Stderr + misspelt.Stdout);

        foreach (var args in new[] { new[] { "--data", _data, "segments", "list" }, ["--data=" + _data, "segments", "list"], ["--config", Path.Combine(_data, "none.json"), "--data", _data, "tlsrpt", "--help"] })
        {
            var result = await EstafetaProcess.RunAsync(null, args);
            Assert.True(result.ExitCode == 0, string.Join(' ', args) + ": " + result.Stderr);
        }
    }

    [Fact]
    public async Task Domains_accounts_and_aliases_are_managed_from_the_command_line()
    {
        Assert.Equal(0, (await Run("migrate")).ExitCode);
        Assert.Equal(0, (await Run("domain", "add", "Ejemplo.TEST")).ExitCode);
        var created = await EstafetaProcess.RunAsync("clave-segura-1\n", "account", "add", "josé@ejemplo.test", "--password-stdin", "--quota", "1G", "--data", _data);
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal(0, (await Run("alias", "add", "ventas@ejemplo.test", "josé@ejemplo.test")).ExitCode);

        var domains = JsonDocument.Parse((await Run("domain", "list", "--json")).Stdout).RootElement;
        Assert.Equal("ejemplo.test", domains[0].GetProperty("name").GetString());
        var accounts = JsonDocument.Parse((await Run("account", "list", "--json")).Stdout).RootElement;
        Assert.Equal("josé@ejemplo.test", accounts[0].GetProperty("address").GetString());
        Assert.Equal(1L << 30, accounts[0].GetProperty("quotaBytes").GetInt64());
        var aliases = JsonDocument.Parse((await Run("alias", "list", "--json")).Stdout).RootElement;
        Assert.Equal("josé@ejemplo.test", aliases[0].GetProperty("targets")[0].GetString());

        var table = await Run("account", "list");
        Assert.Contains("josé@ejemplo.test", table.Stdout);
    }

    [Fact]
    public async Task Errors_are_one_clear_line_and_a_nonzero_exit()
    {
        await Run("domain", "add", "ejemplo.test");
        var again = await Run("domain", "add", "ejemplo.test");
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);
        var orphan = await EstafetaProcess.RunAsync("x\n", "account", "add", "ana@otro.test", "--password-stdin", "--data", _data);
        Assert.NotEqual(0, orphan.ExitCode);
        Assert.Contains("otro.test", orphan.Stderr);
        var bad = await EstafetaProcess.RunAsync(null, "serve", "--smtp", "nonsense", "--data", _data);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("host:port", bad.Stderr);
    }
}
