using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

public sealed class FieldNameTests
{
    [Theory]
    [InlineData("País", "país")]
    [InlineData("  Año de alta ", "año_de_alta")]
    [InlineData("Pai\u0301s", "país")] // decomposed input is stored composed
    [InlineData("fecha-nac.", "fecha_nac_")]
    [InlineData("Ciudad", "ciudad")]
    [InlineData("都市", "都市")]
    public void A_name_is_stored_lowercase_composed_and_with_its_accents(string typed, string stored) =>
        Assert.Equal(stored, FieldValues.NormalizeName(typed));

    [Theory]
    [InlineData("")]
    [InlineData("1er_pedido")]
    [InlineData("precio€")]
    [InlineData("a\"b")]
    public void A_name_that_cannot_be_a_field_is_refused(string typed) =>
        Assert.Throws<InvalidInputException>(() => FieldValues.NormalizeName(typed));

    [Theory]
    [InlineData("País", "pais")]
    [InlineData("PAÍS", "pais")]
    [InlineData("Pai\u0301s", "pais")]
    [InlineData("año de alta", "ano_de_alta")]
    [InlineData("Correo electrónico", "correo_electronico")]
    public void Folding_drops_case_and_accents(string typed, string folded) => Assert.Equal(folded, FieldValues.Fold(typed));

    private static readonly FieldDefinition Pais = new(1, "país", FieldType.Text, []);
    private static readonly FieldDefinition Ano = new(2, "año", FieldType.Number, []);

    [Theory]
    [InlineData("país", 1L)]
    [InlineData("pais", 1L)]
    [InlineData("PAÍS", 1L)]
    [InlineData("ano", 2L)]
    [InlineData("ciudad", null)]
    public void A_name_resolves_to_the_field_it_folds_to(string typed, long? id)
    {
        var fields = new Dictionary<string, FieldDefinition> { [Pais.Name] = Pais, [Ano.Name] = Ano };
        Assert.Equal(id, FieldValues.Resolve(typed.ToLowerInvariant(), fields)?.Id);
    }

    [Fact]
    public void Two_stored_fields_alike_but_for_accents_are_told_apart_by_the_exact_name_only()
    {
        var plain = new FieldDefinition(3, "pais", FieldType.Text, []);
        var fields = new Dictionary<string, FieldDefinition> { [Pais.Name] = Pais, [plain.Name] = plain };
        Assert.Equal(1, FieldValues.Resolve("país", fields)!.Id);
        Assert.Equal(3, FieldValues.Resolve("pais", fields)!.Id);
        Assert.Null(FieldValues.Resolve("paìs", fields));
        // The same field under a second key (an alias made while writing) is not a second field.
        var aliased = new Dictionary<string, FieldDefinition> { [Pais.Name] = Pais, ["país_alias"] = Pais };
        Assert.Equal(1, FieldValues.Resolve("PAIS".ToLowerInvariant(), aliased)!.Id);
    }
}
