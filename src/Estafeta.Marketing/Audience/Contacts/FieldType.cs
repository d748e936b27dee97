namespace Estafeta.Marketing.Audience;

/// <summary>The type of a custom contact field; it decides how values are parsed, stored and compared.</summary>
public enum FieldType
{
    Text,
    Number,
    Date,
    Boolean,
    Choice,
}

public static class FieldTypes
{
    public static string Name(FieldType type) => type switch
    {
        FieldType.Text => "text",
        FieldType.Number => "number",
        FieldType.Date => "date",
        FieldType.Boolean => "boolean",
        _ => "choice",
    };

    public static FieldType Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "text" or "string" => FieldType.Text,
        "number" or "numeric" => FieldType.Number,
        "date" => FieldType.Date,
        "boolean" or "bool" => FieldType.Boolean,
        "choice" => FieldType.Choice,
        _ => throw new Estafeta.Storage.InvalidInputException($"'{name}' is not a field type (text, number, date, boolean, choice)"),
    };
}
