using System.Globalization;
using System.Text;
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
/// other column becomes a custom field named after it. Targets: email, name, first_name, last_name, language,
/// time_zone, tags, skip, or a custom field name.
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
        var target = explicitMaps.TryGetValue(column.Trim(), out var mapped) ? mapped : Target(column, explicitly: false);
        resolved[column] = target;
        return target;
    }

    private static ImportTarget Target(string name, bool explicitly)
    {
        var key = Key(name);
        if (Synonyms.TryGetValue(key, out var kind) && (explicitly || kind != ImportTargetKind.Skip)) return new ImportTarget(kind);
        try
        {
            var field = FieldValues.NormalizeName(key);
            if (FieldStore.BuiltIn.Contains(field)) throw new InvalidInputException($"column '{name}' names a built-in property that cannot be imported; map it with --map '{name}=skip'");
            return new ImportTarget(ImportTargetKind.Field, field);
        }
        catch (InvalidInputException) when (!explicitly)
        {
            throw new InvalidInputException($"column '{name}' cannot become a field name; map it with --map '{name}=field_name' or --map '{name}=skip'");
        }
    }

    /// <summary>Lowercase, accents removed, spaces and hyphens as underscores: "Correo electrónico" → correo_electronico.</summary>
    public static string Key(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c is ' ' or '-' or '.' ? '_' : c);
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }
}
