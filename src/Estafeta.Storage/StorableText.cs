namespace Estafeta.Storage;

/// <summary>The one rule for the characters of a value Estafeta stores, wherever it comes in (API bodies and queries,
/// CLI options, imported rows, segment expressions): well-formed UTF-16, no U+0000 and no U+FFFE. Half of a surrogate pair
/// (which a JSON <c>\ud800</c> escape gives) is no character: it has no UTF-8 form and no Unicode NFC. U+FFFE is a
/// noncharacter (a byte order mark read the wrong way round) that .NET's normalisation refuses. U+0000 cannot be held by
/// PostgreSQL's text or JSONB (the write fails with the database's error), and what one database refuses the other must
/// refuse too, so that a value's fate does not depend on the database. Each entry point checks with this rule and words
/// the refusal for its own input (a problem, a rejected row, a mistake at a position in an expression).</summary>
public static class StorableText
{
    public const string HalfSurrogate = "half of a surrogate pair, which is no character";
    public const string Nul = "the character U+0000 (NUL), which no stored text may hold";
    public const string ReversedMark = "the noncharacter U+FFFE (a byte order mark read the wrong way round), which no stored text may hold";

    /// <summary>Where the first character no stored value may hold is in <paramref name="text"/>, and why (one of the
    /// constants above); -1 and an empty reason when there is none.</summary>
    public static int FaultAt(ReadOnlySpan<char> text, out string why)
    {
        var end = text.IndexOfAny('\0', '\uFFFE');
        var lone = CaseFold.LoneSurrogateAt(end < 0 ? text : text[..end]);
        (why, var at) = lone >= 0 ? (HalfSurrogate, lone) : end >= 0 ? (text[end] == '\0' ? Nul : ReversedMark, end) : ("", -1);
        return at;
    }

    /// <summary><paramref name="text"/> itself, or an <see cref="InvalidInputException"/> saying that <paramref name="what"/>
    /// ("a tag", "field país") holds what breaks the rule.</summary>
    public static string Checked(string text, string what) =>
        FaultAt(text, out var why) < 0 ? text : throw new InvalidInputException($"{what} holds {why}");
}
