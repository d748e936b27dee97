using System.Text;

namespace Estafeta.Smtp.Session;

/// <summary>How a client line appears in the debug transcript: as sent, except AUTH payloads, which are blanked.</summary>
internal static class Transcript
{
    public const string Blanked = "***";

    public static string ClientLine(CommandLine command, byte[] line)
    {
        if (command.Verb != "AUTH") return Printable(line);
        var argument = command.Argument.Span;
        var space = argument.IndexOf((byte)' ');
        return space < 0 ? Printable(line) : $"AUTH {Printable(argument[..space])} {Blanked}";
    }

    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var b = new StringBuilder(text.Length);
        foreach (var c in text) b.Append(char.IsControl(c) ? '?' : c);
        return b.ToString();
    }
}
