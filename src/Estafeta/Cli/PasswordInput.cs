namespace Estafeta.Cli;

/// <summary>Reads a password from stdin (for scripts) or from the terminal without echo.</summary>
public static class PasswordInput
{
    public static async Task<string?> ReadAsync(bool fromStdin, CancellationToken ct)
    {
        if (fromStdin)
        {
            var line = await Console.In.ReadLineAsync(ct);
            return string.IsNullOrEmpty(line) ? null : line;
        }
        if (Console.IsInputRedirected) return null;
        var first = Prompt("Password: ");
        var second = Prompt("Repeat password: ");
        if (first != second) throw new InvalidOperationException("The passwords do not match.");
        return first.Length == 0 ? null : first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Length > 0) chars.Length--; continue; }
            chars.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return chars.ToString();
    }
}
