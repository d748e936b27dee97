using System.Text;

namespace Estafeta.Storage.Tests;

public sealed class MailAddressCanonicalTests
{
    [Theory]
    [InlineData("Ana@Ejemplo.TEST", "ana@ejemplo.test")]
    [InlineData("<ana@ejemplo.test>", "ana@ejemplo.test")]
    [InlineData("ana@ejemplo.test.", "ana@ejemplo.test")]
    [InlineData("José@Ejemplo.test", "josé@ejemplo.test")]
    [InlineData("JOSÉ@ejemplo.test", "josé@ejemplo.test")]
    [InlineData("Jose\u0301@ejemplo.test", "josé@ejemplo.test")]
    [InlineData("ana@Bücher.test", "ana@xn--bcher-kva.test")]
    [InlineData("ana@XN--BCHER-KVA.test", "ana@xn--bcher-kva.test")]
    [InlineData("ana@correo.españa.test", "ana@correo.xn--espaa-rta.test")]
    [InlineData("\"a@b\"@ejemplo.test", "\"a@b\"@ejemplo.test")]
    [InlineData("ana@[192.0.2.1]", "ana@[192.0.2.1]")]
    public void Address_is_put_in_canonical_form(string input, string expected)
    {
        var canonical = MailAddressCanonical.Address(input);

        Assert.Equal(expected, canonical);
        Assert.True(canonical.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ana")]
    [InlineData("@ejemplo.test")]
    [InlineData("ana@")]
    [InlineData("an a@ejemplo.test")]
    [InlineData("ana@bad_domain.test")]
    [InlineData("ana@-leading.test")]
    [InlineData("ana\u0001@ejemplo.test")]
    public void Malformed_address_is_rejected_with_a_message_naming_it(string input)
    {
        var e = Assert.Throws<InvalidInputException>(() => MailAddressCanonical.Address(input));
        Assert.False(string.IsNullOrEmpty(e.Message));
        Assert.False(MailAddressCanonical.TryAddress(input, out _));
    }

    [Fact]
    public void Local_part_longer_than_64_bytes_is_rejected()
    {
        Assert.Throws<InvalidInputException>(() => MailAddressCanonical.Address(new string('ñ', 33) + "@ejemplo.test"));
        Assert.Equal(new string('a', 64) + "@ejemplo.test", MailAddressCanonical.Address(new string('a', 64) + "@ejemplo.test"));
    }

    [Fact]
    public void Domain_is_shown_back_in_unicode()
    {
        Assert.Equal("bücher.test", MailAddressCanonical.DisplayDomain(MailAddressCanonical.Domain("Bücher.Test")));
    }

    [Theory]
    [InlineData("José@Españα.es", "josé@españα.es")]
    [InlineData("ana@ejemplo.es", "ana@ejemplo.es")]
    [InlineData("\"a@b\"@bücher.test", "\"a@b\"@bücher.test")]
    public void An_address_is_shown_with_its_domain_in_unicode(string written, string shown)
    {
        Assert.Equal(shown, MailAddressCanonical.DisplayAddress(MailAddressCanonical.Address(written)));
    }

    [Fact]
    public void Domain_of_a_canonical_address_is_the_part_after_the_last_at_sign()
    {
        Assert.Equal("ejemplo.test", MailAddressCanonical.DomainOf("\"a@b\"@ejemplo.test"));
    }
}
