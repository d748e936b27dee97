namespace Estafeta.Smtp.Session;

/// <summary>A command line split into its verb (upper case; null when it is not a word) and its argument
/// (what follows the first space, trailing spaces removed).</summary>
internal readonly record struct CommandLine(string? Verb, ReadOnlyMemory<byte> Argument)
{
    private const int LongestVerb = 16;

    public static CommandLine Parse(byte[] line)
    {
        var span = line.AsSpan();
        var space = span.IndexOf((byte)' ');
        var verb = space < 0 ? span : span[..space];
        var argument = space < 0 ? ReadOnlyMemory<byte>.Empty : line.AsMemory(space + 1);
        while (!argument.IsEmpty && argument.Span[^1] is (byte)' ' or (byte)'\t') argument = argument[..^1];
        if (verb.IsEmpty || verb.Length > LongestVerb) return new CommandLine(null, argument);
        var chars = new char[verb.Length];
        for (var i = 0; i < verb.Length; i++)
        {
            if (!char.IsAsciiLetter((char)verb[i])) return new CommandLine(null, argument);
            chars[i] = char.ToUpperInvariant((char)verb[i]);
        }
        return new CommandLine(new string(chars), argument);
    }
}
