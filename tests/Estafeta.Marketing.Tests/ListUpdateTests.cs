using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

public abstract class ListUpdateTests(AudienceBackend backend) : AudienceTests(backend)
{
    [Fact]
    public async Task A_list_is_found_by_its_name_as_segments_find_it_and_two_alike_are_ambiguous()
    {
        var stem = Guid.NewGuid().ToString("N")[..6];
        var exact = await Audience.Lists.AddAsync($"Boletín {stem}");

        Assert.Equal(exact.Id, (await Audience.Lists.ResolveAsync($"boletin {stem}")).Id);
        Assert.Equal(exact.Id, (await Audience.Lists.ResolveAsync($"BOLETÍN {stem}")).Id);
        Assert.Equal(exact.Id, (await Audience.Lists.ResolveAsync(exact.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Id);

        var other = await Audience.Lists.AddAsync($"boletin {stem}");
        Assert.Equal(other.Id, (await Audience.Lists.ResolveAsync($"boletin {stem}")).Id); // the exact name first
        var e = await Assert.ThrowsAsync<Estafeta.Storage.NotFoundException>(() => Audience.Lists.ResolveAsync($"BOLETIN {stem}"));
        Assert.StartsWith($"several lists are named like BOLETIN {stem}: ", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Estafeta.Storage.NotFoundException>(() => Audience.Lists.ResolveAsync($"otra {stem}"));
    }

    [Fact]
    public async Task A_change_sets_what_it_gives_and_keeps_the_rest_and_the_subscribers()
    {
        var list = await Audience.Lists.AddAsync(Name(), "Ofertas de la semana", doubleOptIn: false, fromAddress: "ofertas@ejemplo.es", consentText: "Quiero las ofertas.");
        var contact = await NewContactAsync();
        await Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, Operator);

        var updated = await Audience.Lists.UpdateAsync(list.Id, new ListChange { DoubleOptIn = true, Description = "  Ofertas de cada lunes  " });

        Assert.Equal((list.Name, "Ofertas de cada lunes", true, "ofertas@ejemplo.es", "Quiero las ofertas."),
            (updated.Name, updated.Description, updated.DoubleOptIn, updated.FromAddress, updated.ConsentText));
        Assert.Equal(1, updated.Counts["subscribed"]);

        updated = await Audience.Lists.UpdateAsync(list.Id, new ListChange { FromAddress = "", ConsentText = "" });
        Assert.Null(updated.FromAddress);
        Assert.Equal(ListStore.DefaultConsentText(list.Name), updated.ConsentText);
    }

    [Fact]
    public async Task A_renamed_list_keeps_its_default_consent_text_in_step_and_its_saved_segments_follow_it()
    {
        var old = Name("boletín");
        var list = await Audience.Lists.AddAsync(old);
        var other = await Audience.Lists.AddAsync(Name("otra"));
        var contact = await NewContactAsync();
        await Audience.Subscriptions.SetAsync(contact.Id, list.Id, SubscriptionStatus.Subscribed, Operator);
        var segment = Name("segmento");
        // The old name as written, in capitals without its accent, and a list("...") of another list left as it is.
        await Audience.Segments.SaveAsync(segment, $"list(\"{old}\") or LIST('{old.ToUpperInvariant().Replace('Í', 'I')}', status: \"bounced\") or list(\"{other.Name}\")");

        var renamed = Name("Novedades \"2027\"");
        var updated = await Audience.Lists.UpdateAsync(list.Id, new ListChange { Name = renamed });

        Assert.Equal(renamed, updated.Name);
        Assert.Equal(ListStore.DefaultConsentText(renamed), updated.ConsentText);
        Assert.Contains(renamed, updated.ConsentTextIn("es"), StringComparison.Ordinal);
        var quoted = renamed.Replace("\"", "\\\"", StringComparison.Ordinal);
        Assert.Equal($"list(\"{quoted}\") or LIST(\"{quoted}\", status: \"bounced\") or list(\"{other.Name}\")", (await Audience.Segments.FindAsync(segment))!.Expression);
        Assert.Equal(1, await Audience.Segments.CountAsync(await Audience.Segments.ResolveAsync(segment)));
    }

    [Fact]
    public async Task A_new_name_does_not_take_over_a_saved_segment_that_named_another_list_loosely()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var clientes = await Audience.Lists.AddAsync($"Clientes {suffix}");
        var otra = await Audience.Lists.AddAsync(Name());
        var segment = Name("segmento");
        await Audience.Segments.SaveAsync(segment, $"list(\"clientes {suffix}\") and not list(\"{otra.Name}\")");

        // "clientes X" found "Clientes X" loosely; renamed to exactly that, the other list would now be found instead.
        await Audience.Lists.UpdateAsync(otra.Id, new ListChange { Name = $"clientes {suffix}" });

        Assert.Equal($"list(\"Clientes {suffix}\") and not list(\"clientes {suffix}\")", (await Audience.Segments.FindAsync(segment))!.Expression);
        // Each list(...) still finds the list it found before the rename.
        var contact = await NewContactAsync();
        await Audience.Subscriptions.SetAsync(contact.Id, clientes.Id, SubscriptionStatus.Subscribed, Operator);
        Assert.Equal(1, await Audience.Segments.CountAsync(await Audience.Segments.ResolveAsync(segment)));
    }

    [Fact]
    public async Task A_list_of_its_own_consent_text_keeps_it_when_renamed()
    {
        var list = await Audience.Lists.AddAsync(Name(), consentText: "Acepto recibir el boletín.");

        var updated = await Audience.Lists.UpdateAsync(list.Id, new ListChange { Name = Name("nuevo") });

        Assert.Equal("Acepto recibir el boletín.", updated.ConsentText);
    }

    [Fact]
    public async Task A_rename_to_a_taken_name_a_number_or_a_missing_list_is_refused_and_changes_nothing()
    {
        var first = await Audience.Lists.AddAsync(Name());
        var second = await Audience.Lists.AddAsync(Name());

        var taken = await Assert.ThrowsAsync<ConflictException>(() => Audience.Lists.UpdateAsync(second.Id, new ListChange { Name = first.Name, Description = "x" }));
        Assert.Contains(first.Name, taken.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Lists.UpdateAsync(second.Id, new ListChange { Name = "42" }));
        await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Lists.UpdateAsync(second.Id, new ListChange { Name = "dos\nlíneas" }));
        await Assert.ThrowsAsync<InvalidInputException>(() => Audience.Lists.UpdateAsync(second.Id, new ListChange { Description = new string('x', 2_001) }));
        await Assert.ThrowsAsync<NotFoundException>(() => Audience.Lists.UpdateAsync(long.MaxValue, new ListChange { Description = "x" }));

        var unchanged = (await Audience.Lists.GetAsync(second.Id))!;
        Assert.Equal((second.Name, second.Description), (unchanged.Name, unchanged.Description));
    }

    [Fact]
    public async Task A_name_in_another_unicode_form_is_the_same_name()
    {
        var composed = Name("boletín");
        var list = await Audience.Lists.AddAsync(composed.Normalize(System.Text.NormalizationForm.FormD));

        Assert.Equal(composed, list.Name);
        await Assert.ThrowsAsync<ConflictException>(() => Audience.Lists.AddAsync(composed));
        Assert.Equal(list.Id, (await Audience.Lists.ResolveAsync(composed.Normalize(System.Text.NormalizationForm.FormD))).Id);
    }
}

public sealed class ListUpdateOnSqlite(SqliteAudience backend) : ListUpdateTests(backend), IClassFixture<SqliteAudience>;

public sealed class ListUpdateOnPostgres(PostgresAudience backend) : ListUpdateTests(backend), IClassFixture<PostgresAudience>;
