using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Estafeta.Cli;

/// <summary>How verbs print: tables for people, JSON for scripts, errors on stderr with the fix.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonWriterOptions JsonWriting = new() { Indented = true, Encoder = Json.Encoder };

    /// <summary>Prints <paramref name="value"/> as indented JSON, as <see cref="JsonSerializer"/> with camelCase names.</summary>
    /// <remarks>
    /// Verbs print anonymous objects, lists of them and plain values; those are written here straight to a
    /// <see cref="Utf8JsonWriter"/>. Anything else (records, dictionaries, enums, time spans) goes through the
    /// serializer. The serializer's reflection path creates a converter for every type it supports on first use,
    /// ~120 methods compiled at run time (not ahead of time) and a tenth of a short verb's CPU time.
    /// </remarks>
    public static void WriteJson<T>(T value) => Console.Out.WriteLine(ToJson(value));

    /// <summary>The text <see cref="WriteJson{T}"/> prints.</summary>
    public static string ToJson<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting))
        {
            WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case double number: writer.WriteNumberValue(number); break;
            case DateTimeOffset time: writer.WriteStringValue(time); break;
            case IEnumerable<object?> items when value is not System.Collections.IDictionary:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                var type = value.GetType();
                if (type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false) && type.Name.Contains("AnonymousType", StringComparison.Ordinal))
                {
                    writer.WriteStartObject();
                    foreach (var property in type.GetProperties())
                    {
                        writer.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
                        WriteValue(writer, property.GetValue(value));
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    JsonSerializer.Serialize(writer, value, type, Json);
                }

                break;
        }
    }

    private const int RedirectedWidth = 400;

    public static void WriteTable(string[] headers, IEnumerable<string[]> rows, string emptyMessage)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            Console.Out.WriteLine(emptyMessage);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers) table.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var r in list) table.AddRow(r.Select(c => new Markup(Markup.Escape(c))).ToArray());
        // Into a file or a pipe there is no terminal to fit (Spectre assumes 80 columns and cuts the headers short):
        // the table takes the width its cells need.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, RedirectedWidth);
        AnsiConsole.Write(table);
    }

    public static void Done(string message) => Console.Out.WriteLine(message);

    /// <summary>Asks on the terminal for a destructive change: prints <paramref name="warning"/> and wants
    /// <paramref name="name"/> typed back (a yes is too easy to give by habit).</summary>
    public static async Task<bool> ConfirmByNameAsync(string warning, string what, string name, CancellationToken ct)
    {
        Console.Error.WriteLine(warning + " It cannot be undone.");
        Console.Error.Write($"Type the {what}'s name to confirm: ");
        var answer = await Console.In.ReadLineAsync(ct);
        return answer is not null && string.Equals(answer.Trim(), name, StringComparison.Ordinal);
    }

    /// <summary>Each warning on standard error, after the result (so that scripts reading standard output are not misled).</summary>
    public static void Warn(IEnumerable<string> warnings)
    {
        foreach (var warning in warnings) Console.Error.WriteLine("warning: " + warning);
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }
}
