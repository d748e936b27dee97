using Estafeta.Marketing.Audience;
using Estafeta.Testing;

namespace Estafeta.Marketing.Tests;

public sealed class AddressValidatorTests
{
    [Theory]
    [InlineData("ana@ejemplo.es", true)]
    [InlineData("Ana.García+ofertas@Ejemplo.ES", true)]
    [InlineData("josé@españa.es", true)]
    [InlineData("\"ana garcía\"@ejemplo.es", true)]
    [InlineData("user@[192.0.2.1]", true)]
    [InlineData("user@[IPv6:2001:db8::1]", true)]
    [InlineData("user@[127.1]", false)]
    [InlineData("user@[0x7f.0.0.1]", false)]
    [InlineData("user@[2001:db8::1]", false)]
    [InlineData("ana@ejemplo", false)]
    [InlineData("ana@@ejemplo.es", false)]
    [InlineData(".ana@ejemplo.es", false)]
    [InlineData("ana..b@ejemplo.es", false)]
    [InlineData("ana b@ejemplo.es", false)]
    [InlineData("ana@-ejemplo.es", false)]
    [InlineData("ana@ejemplo.123", false)]
    [InlineData("ana(comentario)@ejemplo.es", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@ejemplo.es", false)]
    [InlineData("", false)]
    public void Syntax_follows_rfc_5321_with_smtputf8(string address, bool valid)
    {
        Assert.Equal(valid, AddressSyntax.Check(address, out var problem) is not null);
        Assert.Equal(valid, problem is null);
    }

    [Fact]
    public async Task A_domain_with_mx_or_a_accepts_mail_and_one_without_or_with_null_mx_does_not()
    {
        var zone = new DnsZone()
            .AddMx("conmx.es", 10, "mx.conmx.es")
            .AddA("soloa.es", "192.0.2.5")
            .AddMx("nullmx.es", 0, ".")
            .AddTxt("sinnada.es", "v=spf1 -all");
        var dns = new InMemoryDnsResolver(zone);
        var validator = new AddressValidator(dns);

        Assert.Equal(AddressVerdict.Valid, (await validator.ValidateAsync("a@conmx.es")).Verdict);
        Assert.Equal(AddressVerdict.Valid, (await validator.ValidateAsync("a@soloa.es")).Verdict);
        Assert.Equal(["no-mail-domain"], (await validator.ValidateAsync("a@nullmx.es")).Flags);
        Assert.Equal(AddressVerdict.Invalid, (await validator.ValidateAsync("a@sinnada.es")).Verdict);
        Assert.Equal(AddressVerdict.Invalid, (await validator.ValidateAsync("a@noexiste.es")).Verdict);
    }

    [Fact]
    public async Task Each_domain_is_looked_up_once_per_validator()
    {
        var dns = new InMemoryDnsResolver(new DnsZone().AddMx("conmx.es", 10, "mx.conmx.es"));
        var validator = new AddressValidator(dns);

        for (var i = 0; i < 20; i++) await validator.ValidateAsync($"p{i}@conmx.es");

        Assert.Equal(1, dns.QueryCount);
    }

    [Fact]
    public async Task A_domain_this_server_receives_mail_for_is_accepted_without_asking_dns()
    {
        var dns = new InMemoryDnsResolver(new DnsZone());
        var validator = new AddressValidator(dns, (domain, _) => Task.FromResult(domain == "ejemplo.test"));

        Assert.Equal(AddressVerdict.Valid, (await validator.ValidateAsync("ana@ejemplo.test")).Verdict);
        Assert.Equal(0, dns.QueryCount);
        Assert.Equal(AddressVerdict.Invalid, (await validator.ValidateAsync("ana@otro.test")).Verdict);
    }

    [Fact]
    public async Task A_validator_that_does_not_remember_domains_asks_the_resolver_each_time()
    {
        var dns = new InMemoryDnsResolver(new DnsZone().AddMx("conmx.es", 10, "mx.conmx.es"));
        var validator = new AddressValidator(dns, rememberDomains: false);

        for (var i = 0; i < 3; i++) await validator.ValidateAsync($"p{i}@conmx.es");

        Assert.Equal(3, dns.QueryCount);
    }

    [Fact]
    public async Task A_dns_failure_makes_the_address_risky_not_invalid()
    {
        var zone = new DnsZone().FailWithServerFailure("caido.es");
        var result = await new AddressValidator(new InMemoryDnsResolver(zone)).ValidateAsync("a@caido.es");

        Assert.Equal(AddressVerdict.Risky, result.Verdict);
        Assert.Equal(["dns-unknown"], result.Flags);
    }

    [Theory]
    [InlineData("ana@gmial.com", "ana@gmail.com")]
    [InlineData("ana@hotmial.es", "ana@hotmail.es")]
    [InlineData("ana@yaho.com", "ana@yahoo.com")]
    [InlineData("ana@gmail.con", "ana@gmail.com")]
    [InlineData("ana@outlok.com", "ana@outlook.com")]
    [InlineData("ana@gmail.com", null)]
    [InlineData("ana@mail.com", null)]
    [InlineData("ana@ejemplo.es", null)]
    // Real country domains of the providers are not typos of one another.
    [InlineData("ana@hotmail.it", null)]
    [InlineData("ana@hotmail.de", null)]
    [InlineData("ana@outlook.fr", null)]
    [InlineData("ana@yahoo.com.mx", null)]
    [InlineData("ana@hotmial.it", "ana@hotmail.it")]
    [InlineData("ana@yahoo.com.mz", "ana@yahoo.com.mx")]
    public async Task Misspelt_providers_get_a_suggestion(string address, string? suggestion)
    {
        var result = await new AddressValidator(null).ValidateAsync(address);

        Assert.Equal(suggestion, result.Suggestion);
        Assert.Equal(suggestion is not null, result.Flags.Contains("typo"));
    }

    [Theory]
    [InlineData("info@empresa.es", "role")]
    [InlineData("ventas+web@empresa.es", "role")]
    [InlineData("soporte@empresa.es", "role")]
    [InlineData("información@empresa.es", "role")]
    [InlineData("Facturación+2026@empresa.es", "role")]
    [InlineData("ana@mailinator.com", "disposable")]
    [InlineData("x@yopmail.fr", "disposable")]
    public async Task Role_and_disposable_addresses_are_risky(string address, string flag)
    {
        var result = await new AddressValidator(null).ValidateAsync(address);

        Assert.Equal(AddressVerdict.Risky, result.Verdict);
        Assert.Contains(flag, result.Flags);
    }
}
