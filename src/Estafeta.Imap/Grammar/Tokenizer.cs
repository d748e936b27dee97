using System.Text;

namespace Estafeta.Imap.Grammar;

/// <summary>
/// Reads the tokens of one command (RFC 9051 §9) from its parts: atoms, numbers, quoted strings, literals,
/// parenthesised lists and sequence sets. Errors are sticky: the first one is kept in <see cref="Error"/>,
/// and every later read returns an empty value, so a command parser reads straight through and checks once.
/// </summary>
internal sealed class Tokenizer(IReadOnlyList<CommandPart> parts)
{
    /// <summary>What <see cref="Peek"/> returns at the end of the command.</summary>
    public const int End = -1;

    /// <summary>What <see cref="Peek"/> returns where a literal comes next.</summary>
    public const int LiteralNext = -2;

    private int _part;
    private int _position;
    private int _depth;

    /// <summary>How deep parenthesised lists may nest.</summary>
    public int MaxDepth { get; init; } = 32;

    public string? Error { get; private set; }
    public bool Ok => Error is null;

    private ReadOnlySpan<byte> Text => parts.Count > _part && parts[_part] is TextPart text ? text.Bytes : [];

    /// <summary>The next octet, <see cref="LiteralNext"/> or <see cref="End"/>.</summary>
    public int Peek()
    {
        if (!Ok) return End;
        var text = Text;
        if (_position < text.Length) return text[_position];
        return _part + 1 < parts.Count && parts[_part + 1] is LiteralPart ? LiteralNext : End;
    }

    public bool AtEnd => Peek() == End;

    public void Fail(string message) => Error ??= message;

    /// <summary>Consumes <paramref name="b"/> when it is next (ASCII case-insensitive for letters).</summary>
    public bool TryByte(byte b)
    {
        var next = Peek();
        if (next < 0 || char.ToUpperInvariant((char)next) != char.ToUpperInvariant((char)b)) return false;
        _position++;
        return true;
    }

    public void Expect(byte b, string what)
    {
        if (!TryByte(b)) Fail("Expected " + what + Near());
    }

    public void Sp() => Expect((byte)' ', "a space");

    /// <summary>Consumes the word when it comes next as a whole atom (followed by a non-atom character).</summary>
    public bool TryWord(string word)
    {
        if (!Ok) return false;
        var text = Text;
        if (text.Length - _position < word.Length) return false;
        for (var i = 0; i < word.Length; i++)
            if (char.ToUpperInvariant((char)text[_position + i]) != word[i]) return false;
        if (_position + word.Length < text.Length && CharClass.IsAtomChar(text[_position + word.Length])) return false;
        _position += word.Length;
        return true;
    }

    /// <summary>ATOM-CHAR+ (or with <paramref name="allowed"/>, those characters), as written.</summary>
    public string Atom(Func<byte, bool>? allowed = null)
    {
        var span = Run(allowed ?? CharClass.IsAtomChar);
        if (span.Length == 0) Fail("Expected an atom" + Near());
        return Encoding.ASCII.GetString(span);
    }

    /// <summary>An atom upper-cased: a command or item name.</summary>
    public string Keyword() => Atom().ToUpperInvariant();

    /// <summary>astring: atom with "]", quoted string or literal.</summary>
    public byte[] AStringBytes()
    {
        var next = Peek();
        if (next == '"') return Quoted();
        if (next == LiteralNext) return LiteralBytes();
        var span = Run(CharClass.IsAStringChar);
        if (span.Length == 0) Fail("Expected a string" + Near());
        return span.ToArray();
    }

    public string AString() => Utf8(AStringBytes());

    /// <summary>string: quoted or literal.</summary>
    public byte[] StringBytes()
    {
        var next = Peek();
        if (next == '"') return Quoted();
        if (next == LiteralNext) return LiteralBytes();
        Fail("Expected a quoted string or a literal" + Near());
        return [];
    }

    /// <summary>nstring: NIL or string.</summary>
    public byte[]? NStringBytes() => TryWord("NIL") ? null : StringBytes();

    /// <summary>A mailbox name pattern of LIST: list-char+ or string.</summary>
    public byte[] ListMailbox()
    {
        var next = Peek();
        if (next == '"' || next == LiteralNext) return StringBytes();
        var span = Run(CharClass.IsListChar);
        if (span.Length == 0) Fail("Expected a mailbox pattern" + Near());
        return span.ToArray();
    }

    /// <summary>The literal itself (APPEND's message), binary or not.</summary>
    public Literal? Literal()
    {
        if (Peek() != LiteralNext)
        {
            Fail("Expected a literal" + Near());
            return null;
        }
        var literal = ((LiteralPart)parts[_part + 1]).Literal;
        _part += 2;
        _position = 0;
        return literal;
    }

    /// <summary>number (up to 2^63-1), or nz-number with <paramref name="nonZero"/>.</summary>
    public long Number(bool nonZero = false)
    {
        var span = Run(static b => b is >= (byte)'0' and <= (byte)'9');
        if (span.Length == 0 || span.Length > 18)
        {
            Fail("Expected a number" + Near());
            return 0;
        }
        long value = 0;
        foreach (var digit in span) value = value * 10 + (digit - '0');
        if (nonZero && value == 0) Fail("Expected a number greater than zero");
        return value;
    }

    /// <summary>sequence-set: numbers, "*" and ranges separated by commas, or "$" alone (RFC 5182).</summary>
    public SequenceSet SequenceSet()
    {
        if (TryByte((byte)'$'))
        {
            if (Ok && Peek() >= 0 && CharClass.IsAtomChar((byte)Peek())) Fail("Invalid sequence set: $ stands alone" + Near());
            return Grammar.SequenceSet.Saved;
        }
        var items = new List<(long, long)>();
        do
        {
            var first = SequenceNumber();
            var last = TryByte((byte)':') ? SequenceNumber() : first;
            items.Add((first, last));
        }
        while (Ok && TryByte((byte)','));
        if (Ok && Peek() >= 0 && CharClass.IsAtomChar((byte)Peek())) Fail("Invalid sequence set" + Near());
        return new SequenceSet(items);
    }

    /// <summary>True when a sequence set starts here (a digit, "*" or "$").</summary>
    public bool AtSequenceSet() => Peek() is >= '0' and <= '9' or '*' or '$';

    /// <summary>Reads "(" item *(SP item) ")" calling <paramref name="item"/> for each; an empty list is allowed
    /// when <paramref name="allowEmpty"/>.</summary>
    public void List(Action item, bool allowEmpty = true)
    {
        Expect((byte)'(', "'('");
        if (!Enter()) return;
        if (TryByte((byte)')'))
        {
            if (!allowEmpty) Fail("The list must not be empty");
            Leave();
            return;
        }
        do item();
        while (Ok && TryByte((byte)' '));
        Expect((byte)')', "')'");
        Leave();
    }

    /// <summary>Counts one more level of parentheses (or of search keys inside NOT and OR); false (and failed) when that
    /// is too deep.</summary>
    public bool Enter(string what = "Parentheses")
    {
        if (!Ok) return false;
        if (++_depth > MaxDepth) Fail($"{what} nested too deeply");
        return Ok;
    }

    public void Leave() => _depth--;

    /// <summary>Fails unless the whole command was read.</summary>
    public void ExpectEnd()
    {
        if (Ok && !AtEnd) Fail("Unexpected characters at the end of the command" + Near());
    }

    private long SequenceNumber() => TryByte((byte)'*') ? Grammar.SequenceSet.Star : Number(nonZero: true);

    private ReadOnlySpan<byte> Run(Func<byte, bool> allowed)
    {
        if (!Ok) return [];
        var text = Text;
        var start = _position;
        while (_position < text.Length && allowed(text[_position])) _position++;
        // An atom is ASCII (RFC 9051 §9); a non-ASCII octet where one goes on is said as such (Dovecot: "8bit data in
        // atom") rather than as a missing space further on: clients then know to quote the string or send a literal.
        if (_position < text.Length && text[_position] >= 0x80) Fail("8-bit data in an atom: send the string quoted or as a literal");
        return text[start.._position];
    }

    private byte[] Quoted()
    {
        var text = Text;
        _position++;
        var value = new List<byte>();
        while (_position < text.Length)
        {
            var b = text[_position++];
            if (b == '"') return Checked([.. value]);
            if (b == '\\')
            {
                if (_position >= text.Length || text[_position] is not ((byte)'"' or (byte)'\\'))
                {
                    Fail("Only \\\" and \\\\ may be escaped in a quoted string");
                    return [];
                }
                b = text[_position++];
            }
            else if (b is (byte)'\r' or (byte)'\n' or 0)
            {
                Fail("A quoted string cannot contain CR, LF or NUL");
                return [];
            }
            value.Add(b);
        }
        Fail("Unterminated quoted string");
        return [];
    }

    private byte[] Checked(byte[] value)
    {
        if (value.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0 && !System.Text.Unicode.Utf8.IsValid(value))
            Fail("A quoted string must be ASCII or UTF-8");
        return value;
    }

    private byte[] LiteralBytes()
    {
        var literal = Literal();
        if (literal is null) return [];
        if (literal.IsBinary) Fail("A binary literal is only allowed for message content");
        if (!literal.IsInMemory) Fail("The literal is too large for an argument");
        return Ok ? literal.Span.ToArray() : [];
    }

    private string Near()
    {
        var text = Text;
        if (_position >= text.Length) return Peek() == LiteralNext ? " before the literal" : " at the end of the command";
        var rest = text[_position..];
        // The excerpt goes into the response text, which cannot hold CR, LF or NUL (RFC 9051 §9, TEXT-CHAR): a line
        // may carry a bare CR or a NUL, and echoing it would break the response line. Nor may it hold anything beyond
        // ASCII for an IMAP4rev1 client (RFC 3501 §9: CHAR is 7-bit), which the command may hold (or octets that are no
        // UTF-8 at all): those are shown as '?' too, whatever the client speaks, since this text is only a pointer.
        var excerpt = rest[..Math.Min(rest.Length, 24)];
        return " near \"" + string.Concat(excerpt.ToArray().Select(b => b is >= 0x20 and < 0x7f ? (char)b : '?')) + "\"";
    }

    public static string Utf8(byte[] bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
}
