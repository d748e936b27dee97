using System.Globalization;
using System.Text;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>
/// Random input for the checks of single values: addresses and their canonical form, language tags, time zones and
/// custom field values. Each must either accept a value or refuse it with <see cref="InvalidInputException"/> (never
/// another exception), and what it accepts must come back the same when checked again.
/// </summary>
public sealed class AudienceValueFuzzTests
{
    private static readonly string[] Domains =
        ["ejemplo.es", "EJEMPLO.ES", "españa.test", "xn--espaa-rta.test", "bücher.example", "中文.example", "sub.dominio.es.", "[192.0.2.1]", "[IPv6:2001:db8::1]", "a.b", "a..b", ".es", "-a.es", "例え.テスト", "ß.de", "İstanbul.tr", "ejemplo\u3002es"];

    private static string RandomAddress(Random random)
    {
        var local = random.Next(4) switch
        {
            0 => Fuzz.Text(random, 6),
            1 => "\"" + Fuzz.Text(random, 6) + "\"",
            2 => string.Concat(Enumerable.Range(0, random.Next(1, 5)).Select(_ => Fuzz.Pick(random, (string[])["josé", "Ana", "x.y", "O'Brien", "ñandú", "a+b", "ÉLITE", "e\u0301", "ß", "İ", "ı"]))),
            _ => new string('a', random.Next(60, 70)),
        };
        var domain = random.Next(4) == 0 ? Fuzz.Text(random, 8) : Fuzz.Pick(random, Domains);
        var address = local + "@" + domain;
        return random.Next(6) switch
        {
            0 => "<" + address + ">",
            1 => "  " + address + " ",
            2 => address + "@" + Fuzz.Pick(random, Domains),
            _ => address,
        };
    }

    [Fact]
    public void Canonical_addresses_refuse_only_with_an_input_error_and_are_their_own_canonical_form()
    {
        var random = new Random(5101);
        for (var n = 0; n < Fuzz.Iterations(3000); n++)
        {
            var address = RandomAddress(random);
            if (!Fuzz.Accepts(() => MailAddressCanonical.Address(address), $"Address({Fuzz.Show(address)})", out string canonical)) continue;

            Assert.True(MailAddressCanonical.TryAddress(canonical, out var again), $"the canonical form of {Fuzz.Show(address)}, {Fuzz.Show(canonical)}, is refused");
            Assert.True(again == canonical, $"{Fuzz.Show(address)} -> {Fuzz.Show(canonical)} -> {Fuzz.Show(again)}");
        }
    }

    [Fact]
    public void An_address_check_never_throws_and_what_it_accepts_it_accepts_again_unchanged()
    {
        var random = new Random(5102);
        for (var n = 0; n < Fuzz.Iterations(3000); n++)
        {
            var address = RandomAddress(random);
            string? canonical, problem;
            try
            {
                canonical = AddressSyntax.Check(address, out problem);
            }
            catch (Exception e)
            {
                Assert.Fail($"Check({Fuzz.Show(address)}) threw {e.GetType().Name}: {e.Message}");
                return;
            }

            Assert.True(canonical is null != (problem is null), $"Check({Fuzz.Show(address)}) gave {canonical} and {problem}");
            if (canonical is null) continue;
            var again = AddressSyntax.Check(canonical, out var second);
            Assert.True(again == canonical, $"{Fuzz.Show(address)} -> {Fuzz.Show(canonical)} -> {(again is null ? second : Fuzz.Show(again))}");
            Assert.Equal(canonical, MailAddressCanonical.Address(address));
        }
    }

    [Fact]
    public void Spellings_of_one_address_have_one_canonical_form()
    {
        var random = new Random(5103);
        string[] locals = ["josé", "Ana.Luisa", "ñandú", "e\u0301lite", "O'Brien", "a+b", "Zoë", "\"ana luisa\"", "crème.brûlée", "müller", "Øre"];
        string[] domains = ["españa.test", "bücher.example", "ejemplo.es", "correo.pt", "mañana.com.mx"];
        for (var n = 0; n < Fuzz.Iterations(1000); n++)
        {
            var local = Fuzz.Pick(random, locals);
            var domain = Fuzz.Pick(random, domains);
            var expected = MailAddressCanonical.Address(local + "@" + domain);
            var spelling = (random.Next(2) == 0 ? local.ToUpperInvariant() : local.Normalize(NormalizationForm.FormD))
                + "@" + random.Next(4) switch
                {
                    0 => domain.ToUpperInvariant(),
                    1 => new IdnMapping().GetAscii(domain).ToUpperInvariant(),
                    2 => domain.Normalize(NormalizationForm.FormD) + ".",
                    _ => domain,
                };
            if (random.Next(3) == 0) spelling = " <" + spelling + "> ";
            Assert.True(expected == MailAddressCanonical.Address(spelling), $"{Fuzz.Show(spelling)} is not {Fuzz.Show(expected)}");
            Assert.Equal(expected, AddressSyntax.Check(spelling.Trim().TrimStart('<').TrimEnd('>'), out _));
        }
    }

    [Fact]
    public void A_language_is_refused_only_with_an_input_error_and_its_tag_reads_as_itself()
    {
        var random = new Random(5104);
        string[] seeds = ["es", "ES_mx", "en-GB", "es-419", "zh-Hant-TW", "Español", "ingles", "deutsch", "klingon", "x-private", "sr-Latn-RS-1996", "de-CH-x-phonebk", "und", "İngles", "\u212ay"];
        for (var n = 0; n < Fuzz.Iterations(3000); n++)
        {
            var value = random.Next(3) switch
            {
                0 => Fuzz.Text(random, 8),
                1 => Fuzz.Pick(random, seeds),
                _ => Fuzz.Pick(random, seeds) + Fuzz.Text(random, 3),
            };
            if (!Fuzz.Accepts(() => LanguageTags.Parse(value), $"LanguageTags.Parse({Fuzz.Show(value)})", out string? tag)) continue;

            if (tag is null) continue;
            Assert.True(LanguageTags.Parse(tag) == tag, $"{Fuzz.Show(value)} -> {Fuzz.Show(tag)} -> another tag");
            Assert.True(Ascii.IsValid(tag) && tag == tag.ToLowerInvariant(), $"{Fuzz.Show(value)} -> {Fuzz.Show(tag)}");
        }
    }

    [Fact]
    public void A_time_zone_is_refused_only_with_an_input_error_and_its_name_reads_as_itself()
    {
        var random = new Random(5105);
        var zones = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Concat(["UTC", "Etc/GMT+5", "Romance Standard Time", "America/Argentina/Buenos_Aires", "../etc/passwd", "/etc/localtime", "Europe/", "Europe//Madrid"]).ToList();
        for (var n = 0; n < Fuzz.Iterations(1500); n++)
        {
            var zone = Fuzz.Pick(random, zones);
            var value = random.Next(4) switch
            {
                0 => zone,
                1 => zone.ToLowerInvariant(),
                2 => " " + zone + Fuzz.Text(random, 2),
                _ => Fuzz.Text(random, 8) + (random.Next(2) == 0 ? "/" + Fuzz.Text(random, 4) : ""),
            };
            if (!Fuzz.Accepts(() => ContactRules.TimeZone(value), $"ContactRules.TimeZone({Fuzz.Show(value)})", out string? name)) continue;

            if (name is null) continue;
            Assert.True(ContactRules.TimeZone(name) == name, $"{Fuzz.Show(value)} -> {Fuzz.Show(name)} -> another name");
            Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(name, out _), name);
        }
    }

    private static readonly FieldDefinition[] Definitions =
    [
        new(1, "texto", FieldType.Text, []),
        new(2, "numero", FieldType.Number, []),
        new(3, "fecha", FieldType.Date, []),
        new(4, "si_no", FieldType.Boolean, []),
        new(5, "plan", FieldType.Choice, ["Básico", "PRO", "empresa grande"]),
    ];

    private static string RandomFieldText(Random random, FieldType type) => random.Next(3) switch
    {
        0 => Fuzz.Text(random, 10),
        1 => type switch
        {
            FieldType.Number => Fuzz.Pick(random, (string[])["1", "-0", "1e308", "1e309", "-1e400", "NaN", "Infinity", "∞", "1,5", "1.5", " 2 ", "0x10", "1_000", "١٢٣", "+3", ".5", "5.", "1e-400", "79228162514264337593543950336"]),
            FieldType.Date => Fuzz.Pick(random, (string[])["2026-01-31", "2026-02-30", "0001-01-01", "9999-12-31", "31/01/2026", "2026/01/31", "2026-01-31T23:59:59+05:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "2026-01-31 10:00:00", "2026-1-1", "２０２６-01-31"]),
            FieldType.Boolean => Fuzz.Pick(random, (string[])["true", "FALSE", "sí", "SÍ", "si", "y", "n", "1", "0", "verdadero", "İ", "yes "]),
            FieldType.Choice => Fuzz.Pick(random, (string[])["básico", "BA\u0301SICO", "pro", "Empresa Grande", "otro"]),
            _ => Fuzz.Text(random, 30),
        },
        _ => new string('x', random.Next(1990, 2010)) + Fuzz.Text(random, 2),
    };

    [Fact]
    public void A_field_value_is_refused_only_with_an_input_error_and_what_is_stored_reads_back_as_itself()
    {
        var random = new Random(5106);
        for (var n = 0; n < Fuzz.Iterations(4000); n++)
        {
            var field = Fuzz.Pick(random, Definitions);
            var raw = RandomFieldText(random, field.Type);
            if (!Fuzz.Accepts(() => FieldValues.Parse(field, raw), $"FieldValues.Parse({field.Name}, {Fuzz.Show(raw)})", out FieldValues.Stored stored)) continue;

            // What the API and exports show, read back: the same stored value.
            var shown = FieldValues.Format(FieldValues.Present(field.Type, stored.Text, stored.Number, stored.Date));
            Assert.True(FieldValues.Parse(field, shown) == stored, $"{field.Name}: {Fuzz.Show(raw)} -> {Fuzz.Show(shown)} -> another value");
            if (stored.Number is { } number) Assert.True(double.IsFinite(number), $"{field.Name}: {Fuzz.Show(raw)} -> {number}");
            var json = new FieldJson.Builder();
            json.Start();
            json.Add(field, stored);
            var presented = FieldJson.Present(json.Finish(), Definitions.ToDictionary(d => d.Name));
            Assert.Equal(FieldValues.Present(field.Type, stored.Text, stored.Number, stored.Date), presented[field.Name]);
        }
    }

    [Fact]
    public void A_tag_or_a_name_is_refused_only_with_an_input_error_and_reads_back_as_itself()
    {
        var random = new Random(5107);
        for (var n = 0; n < Fuzz.Iterations(3000); n++)
        {
            var value = random.Next(8) == 0 ? new string('é', random.Next(95, 105)) : Fuzz.Text(random, 10);
            foreach (var (what, check) in new (string, Func<string, string?>)[] { ("Tag", ContactRules.Tag), ("Name", ContactRules.Name), ("field name", FieldValues.NormalizeName) })
            {
                if (!Fuzz.Accepts(() => check(value), $"{what}({Fuzz.Show(value)})", out string? kept)) continue;

                if (kept is not null) Assert.True(check(kept) == kept, $"{what}: {Fuzz.Show(value)} -> {Fuzz.Show(kept)} -> another");
            }
        }
    }

    [Fact]
    public void A_domain_ending_in_an_ideographic_full_stop_has_the_canonical_form_of_one_without_it()
    {
        // IDNA maps 。 to '.', after the trailing dot had been taken off: the canonical form ended in a dot.
        Assert.Equal("ana@ejemplo.es", MailAddressCanonical.Address("ana@ejemplo.es\u3002"));
        Assert.Equal("ana@ejemplo.es", MailAddressCanonical.Address("ana@EJEMPLO.ES\uff0e"));
    }

    [Fact]
    public void White_space_of_any_kind_in_a_local_part_is_refused_also_inside_angle_brackets()
    {
        // "\u2028ana@ejemplo.es" was its canonical form, which read again lost the U+2028 to trimming.
        Assert.Throws<InvalidInputException>(() => MailAddressCanonical.Address("<\u2028ana@ejemplo.es>"));
        Assert.Throws<InvalidInputException>(() => MailAddressCanonical.Address("ana\u3000luisa@ejemplo.es"));
        Assert.Equal("\"ana luisa\"@ejemplo.es", MailAddressCanonical.Address("\"Ana Luisa\"@ejemplo.es"));
    }

    [Fact]
    public void Half_of_a_surrogate_pair_is_an_input_error_not_an_argument_exception()
    {
        // A JSON \ud800 escape gives such a string; string.Normalize threw an ArgumentException for it.
        Assert.Throws<InvalidInputException>(() => LanguageTags.Parse("es\ud800"));
        Assert.Throws<InvalidInputException>(() => FieldValues.Parse(Definitions[0], "a\ud800b"));
        Assert.Throws<InvalidInputException>(() => FieldValues.NormalizeName("pa\udc00is"));
        Assert.Throws<InvalidInputException>(() => ContactRules.Tag("\udc00"));
        Assert.Throws<InvalidInputException>(() => ContactRules.Name("Ana \ud83d"));
        Assert.Throws<InvalidInputException>(() => CaseFold.Of("\ud83d"));
        Assert.Equal("😀", ContactRules.Tag("\ud83d\ude00"));
    }
}
