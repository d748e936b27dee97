namespace Estafeta.Pop3;

/// <summary>Protocol lines as they go into the debug transcript, with secrets blanked.</summary>
internal static class Transcript
{
    public const string Secret = "****";

    public static string Client(Pop3Command command) => command.Keyword switch
    {
        "PASS" => "PASS " + Secret,
        "AUTH" when command.Arguments.Length > 1 => $"AUTH {command.Arguments[0]} {Secret}",
        _ when command.Argument.Length == 0 => command.Keyword,
        _ => command.Keyword + " " + command.Argument,
    };

    public static string Server(Pop3Reply reply) => reply switch
    {
        { Content: not null } => reply.StatusLine + " <message follows>",
        { Lines: { } lines } => $"{reply.StatusLine} <{lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} lines>",
        _ => reply.StatusLine,
    };
}
