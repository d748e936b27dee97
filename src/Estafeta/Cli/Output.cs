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

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

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
        AnsiConsole.Write(table);
    }

    public static void Done(string message) => Console.Out.WriteLine(message);

    public static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }
}
