using System.Globalization;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Turns the text of a custom field value (from a CSV cell, JSON or a form) into what is stored:
/// text and choices in <c>text_value</c>, numbers and booleans (0/1) in <c>number_value</c>,
/// dates as UTC midnight Unix milliseconds in <c>date_value</c>. Invariant culture throughout.
/// </summary>
public static class FieldValues
{
    public readonly record struct Stored(string? Text, double? Number, long? Date);

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "dd/MM/yyyy"];

    /// <summary>The longest text or choice value kept, in characters.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>The most custom field values one request or row may set.</summary>
    public const int MaxFieldsPerChange = 100;

    /// <summary>The most custom fields a server defines (an import makes one of every column it cannot map).</summary>
    public const int MaxDefinitions = 500;

    /// <summary>The value checked against the field's type. Text is kept in Unicode NFC, so that a value typed with
    /// combining accents (as some systems write them) compares equal to the same value composed.</summary>
    public static Stored Parse(FieldDefinition field, string raw)
    {
        var text = CaseFold.Nfc(raw.Trim());
        if (text.Length > MaxTextLength) throw new InvalidInputException($"field {field.Name} holds at most {MaxTextLength} characters, not {text.Length}");
        StorableText.Checked(text, $"field {field.Name}");
        switch (field.Type)
        {
            case FieldType.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)) return new(null, n, null);
                throw new InvalidInputException($"field {field.Name} expects a number, not '{raw}'");
            case FieldType.Date:
                return new(null, null, ParseDate(text) ?? throw new InvalidInputException($"field {field.Name} expects a date (2026-01-31), not '{raw}'"));
            case FieldType.Boolean:
                return new(null, ParseBoolean(text) switch
                {
                    true => 1,
                    false => 0,
                    null => throw new InvalidInputException($"field {field.Name} expects true or false, not '{raw}'"),
                }, null);
            case FieldType.Choice:
                var choice = field.Choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
                    ?? throw new InvalidInputException($"field {field.Name} must be one of {string.Join(", ", field.Choices)}, not '{raw}'");
                return new(choice, null, null);
            default:
                return new(text, null, null);
        }
    }

    /// <summary>The stored value as the API and exports show it: string, number, "yyyy-MM-dd" or bool.</summary>
    public static object? Present(FieldType type, string? text, double? number, long? date) => type switch
    {
        FieldType.Number => number,
        FieldType.Boolean => number is { } b ? b != 0 : null,
        FieldType.Date => date is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        _ => text,
    };

    /// <summary>The presented value as text (for CSV cells).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static long? ParseDate(string text)
    {
        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
        {
            return new DateTimeOffset(when.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        }

        return null;
    }

    public static bool? ParseBoolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "sí" or "si" or "y" or "s" or "verdadero" => true,
        "false" or "no" or "0" or "n" or "falso" => false,
        _ => null,
    };

    /// <summary>A field name as stored: trimmed, lowercase, in Unicode composed form (NFC), spaces, hyphens and dots as
    /// underscores; letters (any script, accents kept: "Año de alta" → año_de_alta), digits and _ only.</summary>
    public static string NormalizeName(string name)
    {
        var n = CaseFold.Nfc(name.Trim()).ToLowerInvariant().Replace(' ', '_').Replace('-', '_').Replace('.', '_');
        if (n.Length == 0 || n.Length > 64 || !n.All(c => char.IsLetterOrDigit(c) || c == '_') || char.IsDigit(n[0]))
        {
            throw new InvalidInputException($"'{name}' is not a usable field name (letters, digits and _, starting with a letter, at most 64)");
        }

        return n;
    }

    /// <summary>The form in which two field names are the same field: <see cref="NormalizeName"/>'s, less accents and other
    /// combining marks ("País", "pais" and "PAÍS" → pais). What someone types is matched with the stored names in this
    /// form (a segment, a column, an API key), so a name written with or without its accents finds the field, and no
    /// second field is made that differs from one only in them.</summary>
    public static string Fold(string name) =>
        CaseFold.WithoutAccents(name.Trim().ToLowerInvariant()).Replace(' ', '_').Replace('-', '_').Replace('.', '_');

    /// <summary>The stored field <paramref name="name"/> means: the one of that name, else the only one whose
    /// <see cref="Fold"/> is the same; null when there is none. Two stored fields the same but for accents (possible only
    /// with names stored before folding was checked) are told apart by the exact name alone.</summary>
    public static FieldDefinition? Resolve(string name, IReadOnlyDictionary<string, FieldDefinition> fields)
    {
        if (fields.TryGetValue(name, out var exact)) return exact;
        var fold = Fold(name);
        FieldDefinition? found = null;
        foreach (var field in fields.Values)
        {
            if (!string.Equals(Fold(field.Name), fold, StringComparison.Ordinal)) continue;
            if (found is not null && found.Id != field.Id) return null;
            found = field;
        }

        return found;
    }
}
