using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The custom field values of a contact as stored: one JSON object in <c>contacts.fields</c> (JSONB on PostgreSQL,
/// JSON text on SQLite), keyed by field name. Text and choices are strings, numbers are numbers, booleans are
/// <c>true</c>/<c>false</c>, dates are UTC midnight Unix milliseconds; a contact without values has NULL. Values
/// are checked against their field's type before they are written (<see cref="FieldValues.Parse"/>), so a reader
/// may rely on the type of the value of each field.
/// </summary>
public static class FieldJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes field objects, one at a time, reusing its buffer.</summary>
    public sealed class Builder
    {
        private readonly ArrayBufferWriter<byte> buffer = new(256);
        private readonly Utf8JsonWriter writer;
        private int count;

        public Builder() => writer = new Utf8JsonWriter(buffer, WriterOptions);

        public void Start()
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartObject();
            count = 0;
        }

        public void Add(FieldDefinition field, FieldValues.Stored value)
        {
            count++;
            switch (field.Type)
            {
                case FieldType.Number: writer.WriteNumber(field.Name, value.Number!.Value); break;
                case FieldType.Boolean: writer.WriteBoolean(field.Name, value.Number!.Value != 0); break;
                case FieldType.Date: writer.WriteNumber(field.Name, value.Date!.Value); break;
                default: writer.WriteString(field.Name, value.Text); break;
            }
        }

        /// <summary>A value kept as it was stored.</summary>
        public void AddRaw(string name, JsonElement value)
        {
            count++;
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        /// <summary>The object written since <see cref="Start"/>, or null when it has no values.</summary>
        public string? Finish()
        {
            writer.WriteEndObject();
            writer.Flush();
            return count == 0 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>The stored object as the API shows it (string, double, "yyyy-MM-dd" or bool), in name order.</summary>
    public static IReadOnlyDictionary<string, object?> Present(string? json, IReadOnlyDictionary<string, FieldDefinition> fields)
    {
        if (string.IsNullOrEmpty(json)) return new Dictionary<string, object?>();
        using var document = JsonDocument.Parse(json);
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            object? presented = fields.TryGetValue(property.Name, out var field)
                ? field.Type switch
                {
                    FieldType.Number => value.GetDouble(),
                    FieldType.Boolean => value.GetBoolean(),
                    FieldType.Date => FieldValues.Present(FieldType.Date, null, null, value.GetInt64()),
                    _ => value.GetString(),
                }
                : value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => value.GetRawText(),
                };
            values.Add(new(property.Name, presented));
        }

        values.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var result = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values) result[name] = value;
        return result;
    }

    /// <summary>
    /// <paramref name="json"/> with <paramref name="changes"/> applied: a null change removes the field, any other
    /// sets it. Null when no field is left.
    /// </summary>
    public static string? Merge(string? json, IReadOnlyList<(FieldDefinition Field, FieldValues.Stored? Value)> changes)
    {
        var kept = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        JsonDocument? document = null;
        try
        {
            if (!string.IsNullOrEmpty(json))
            {
                document = JsonDocument.Parse(json);
                foreach (var property in document.RootElement.EnumerateObject()) kept[property.Name] = property.Value;
            }

            var changed = changes.ToDictionary(c => c.Field.Name, StringComparer.Ordinal);
            foreach (var name in changed.Keys) kept.Remove(name);
            var builder = new Builder();
            builder.Start();
            foreach (var name in kept.Keys.Concat(changed.Where(c => c.Value.Value is not null).Select(c => c.Key)).Order(StringComparer.Ordinal))
            {
                if (changed.TryGetValue(name, out var change)) builder.Add(change.Field, change.Value!.Value);
                else builder.AddRaw(name, kept[name]);
            }

            return builder.Finish();
        }
        finally
        {
            document?.Dispose();
        }
    }

    /// <summary>How many values the stored object holds.</summary>
    public static int Count(string? json)
    {
        if (string.IsNullOrEmpty(json)) return 0;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Count();
    }

    /// <summary>
    /// The SQL expression of one field's value, typed for comparisons: text for text and choices, a number for
    /// numbers, 1/0 for booleans, Unix milliseconds for dates; NULL when the contact has no value.
    /// </summary>
    public static string Sql(DatabaseKind kind, string column, FieldDefinition field)
    {
        var name = SafeName(field.Name);
        if (kind == DatabaseKind.Sqlite) return $"json_extract({column}, '$.\"{name}\"')";
        return field.Type switch
        {
            FieldType.Number => $"CAST({column}->>'{name}' AS DOUBLE PRECISION)",
            FieldType.Boolean => $"CAST(CAST({column}->>'{name}' AS BOOLEAN) AS INTEGER)",
            FieldType.Date => $"CAST({column}->>'{name}' AS BIGINT)",
            _ => $"({column}->>'{name}')",
        };
    }

    /// <summary>A field name written into SQL text: only letters, digits and _ (what <see cref="FieldValues.NormalizeName"/> allows).</summary>
    private static string SafeName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_') throw new InvalidInputException($"'{name}' is not a usable field name");
        }

        return name;
    }
}
