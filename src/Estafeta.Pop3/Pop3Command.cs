namespace Estafeta.Pop3;

/// <summary>A parsed command line: the keyword in upper case and the text after the first space.</summary>
internal sealed record Pop3Command(string Keyword, string Argument)
{
    /// <summary>The arguments separated by spaces (RFC 1939 §3); several spaces count as one.</summary>
    public string[] Arguments { get; } = Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
