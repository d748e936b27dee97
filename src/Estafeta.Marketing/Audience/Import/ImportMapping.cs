using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Where a column's values go.</summary>
public enum ImportTargetKind
{
    Email,
    Name,
    FirstName,
    LastName,
    Language,
    TimeZone,
    Tags,
    Field,
    Skip,
}

public sealed record ImportTarget(ImportTargetKind Kind, string? Field = null);

/// <summary>
/// Maps columns to contact properties. Explicit <c>--map column=target</c> entries win; otherwise a column named like
/// a property (or a common English or Spanish synonym: correo, nombre, apellidos, idioma ...) maps to it, and any
/// other column becomes a custom field named after it; a column with no name, or named like a property Estafeta sets
/// itself (created, updated, id, validation, domain: an export has them), is skipped. Targets: email, name,
/// first_name, last_name, language, time_zone, tags, skip, or a custom field name.
/// </summary>
public sealed class ImportMapping
{
    private static readonly Dictionary<string, ImportTargetKind> Synonyms = new(StringComparer.Ordinal)
    {
        ["email"] = ImportTargetKind.Email, ["e_mail"] = ImportTargetKind.Email, ["mail"] = ImportTargetKind.Email,
        ["correo"] = ImportTargetKind.Email, ["correo_electronico"] = ImportTargetKind.Email, ["email_address"] = ImportTargetKind.Email,
        ["name"] = ImportTargetKind.Name, ["full_name"] = ImportTargetKind.Name, ["nombre_completo"] = ImportTargetKind.Name,
        ["first_name"] = ImportTargetKind.FirstName, ["firstname"] = ImportTargetKind.FirstName, ["given_name"] = ImportTargetKind.FirstName, ["nombre"] = ImportTargetKind.FirstName,
        ["last_name"] = ImportTargetKind.LastName, ["lastname"] = ImportTargetKind.LastName, ["surname"] = ImportTargetKind.LastName,
        ["family_name"] = ImportTargetKind.LastName, ["apellidos"] = ImportTargetKind.LastName, ["apellido"] = ImportTargetKind.LastName,
        ["language"] = ImportTargetKind.Language, ["lang"] = ImportTargetKind.Language, ["idioma"] = ImportTargetKind.Language,
        ["time_zone"] = ImportTargetKind.TimeZone, ["timezone"] = ImportTargetKind.TimeZone, ["tz"] = ImportTargetKind.TimeZone, ["zona_horaria"] = ImportTargetKind.TimeZone,
        ["tags"] = ImportTargetKind.Tags, ["etiquetas"] = ImportTargetKind.Tags,
        ["skip"] = ImportTargetKind.Skip,
    };

    private readonly Dictionary<string, ImportTarget> explicitMaps;
    private readonly Dictionary<string, ImportTarget> resolved = new(StringComparer.Ordinal);
    /// <summary>The field each folded name became first (<see cref="FieldValues.Fold"/>): columns "País" and "pais" fill one field.</summary>
    private readonly Dictionary<string, string> fieldsByFold = new(StringComparer.Ordinal);

    public ImportMapping(IEnumerable<string>? maps = null)
    {
        explicitMaps = new Dictionary<string, ImportTarget>(StringComparer.OrdinalIgnoreCase);
        foreach (var map in maps ?? [])
        {
            var eq = map.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new InvalidInputException($"--map takes column=field, not '{map}'");
            var column = map[..eq].Trim();
            var target = map[(eq + 1)..].Trim();
            explicitMaps[column] = target.Length == 0 ? new ImportTarget(ImportTargetKind.Skip) : Target(target, explicitly: true);
        }
    }

    /// <summary>The column names given with --map (they must exist in the file).</summary>
    public IEnumerable<string> ExplicitColumns => explicitMaps.Keys;

    public ImportTarget For(string column)
    {
        if (resolved.TryGetValue(column, out var known)) return known;
        // A column without a name (a spreadsheet's trailing delimiters, say) cannot be mapped, so it is not imported.
        var target = column.Trim().Length == 0 ? new ImportTarget(ImportTargetKind.Skip)
            : explicitMaps.TryGetValue(column.Trim(), out var mapped) ? mapped : Target(column, explicitly: false);
        if (target.Field is { } field)
        {
            var fold = FieldValues.Fold(field);
            if (fieldsByFold.TryGetValue(fold, out var first)) target = target with { Field = first };
            else fieldsByFold[fold] = field;
        }

        resolved[column] = target;
        return target;
    }

    /// <summary>Properties Estafeta sets itself, which its own exports hold: a column of one is not imported, so that an
    /// exported file imports again as it is.</summary>
    private static readonly HashSet<string> SetByEstafeta = new(StringComparer.Ordinal) { "id", "created", "updated", "validation", "domain", "subscription_status" };

    private static ImportTarget Target(string name, bool explicitly)
    {
        if (Synonyms.TryGetValue(FieldValues.Fold(name), out var kind) && (explicitly || kind != ImportTargetKind.Skip)) return new ImportTarget(kind);
        if (!explicitly && SetByEstafeta.Contains(FieldValues.Fold(name))) return new ImportTarget(ImportTargetKind.Skip);
        try
        {
            var field = FieldValues.NormalizeName(name);
            if (FieldStore.BuiltIn.Contains(FieldValues.Fold(field))) throw new InvalidInputException($"column '{name}' names a built-in property that cannot be imported; map it with --map '{name}=skip'");
            return new ImportTarget(ImportTargetKind.Field, field);
        }
        catch (InvalidInputException) when (!explicitly)
        {
            throw new InvalidInputException($"column '{name}' cannot become a field name; map it with --map '{name}=field_name' or --map '{name}=skip'");
        }
    }
}
