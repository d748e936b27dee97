using System.Text;

namespace Estafeta.Imap.Grammar;

internal enum SectionText { None, Header, HeaderFields, HeaderFieldsNot, Text, Mime }

/// <summary>A body section (RFC 9051 §6.4.5): part numbers, then HEADER, HEADER.FIELDS (...), HEADER.FIELDS.NOT (...),
/// TEXT or MIME.</summary>
internal sealed record Section(IReadOnlyList<int> Part, SectionText Text, IReadOnlyList<string> Fields)
{
    public static Section Whole { get; } = new([], SectionText.None, []);

    /// <summary>The section as the response names it, e.g. "1.2.HEADER.FIELDS (FROM TO)".</summary>
    public override string ToString()
    {
        var text = new StringBuilder(string.Join('.', Part));
        var name = Text switch
        {
            SectionText.Header => "HEADER",
            SectionText.HeaderFields => "HEADER.FIELDS",
            SectionText.HeaderFieldsNot => "HEADER.FIELDS.NOT",
            SectionText.Text => "TEXT",
            SectionText.Mime => "MIME",
            _ => "",
        };
        if (name.Length > 0 && text.Length > 0) text.Append('.');
        text.Append(name);
        if (Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
            text.Append(" (").Append(string.Join(' ', Fields)).Append(')');
        return text.ToString();
    }
}

internal enum FetchKind
{
    Uid, Flags, InternalDate, Size, Envelope, BodyStructure, Body, ModSeq,
    Rfc822, Rfc822Header, Rfc822Text, Section, Binary, BinarySize,
}

/// <summary>One FETCH data item (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ).</summary>
internal sealed record FetchAttribute(FetchKind Kind, Section? Section = null, bool Peek = false, long? PartialStart = null, long? PartialLength = null)
{
    /// <summary>True when fetching it sets \Seen (RFC 9051 §6.4.5: BODY[...], BINARY[...], RFC822, RFC822.TEXT).</summary>
    public bool SetsSeen => !Peek && Kind is FetchKind.Section or FetchKind.Binary or FetchKind.Rfc822 or FetchKind.Rfc822Text;

    /// <summary>Reads the items of a FETCH command: a macro, one item, or a parenthesised list.</summary>
    public static List<FetchAttribute> ReadList(Tokenizer t)
    {
        var items = new List<FetchAttribute>();
        if (t.Peek() == '(')
        {
            t.List(() => Read(t, items), allowEmpty: false);
            return items;
        }
        Read(t, items, macros: true);
        return items;
    }

    private static bool NameChar(byte b) => CharClass.IsAtomChar(b) && b != '[' && b != '<';

    private static void Read(Tokenizer t, List<FetchAttribute> items, bool macros = false)
    {
        var name = t.Atom(NameChar).ToUpperInvariant();
        if (!t.Ok) return;
        switch (name)
        {
            case "ALL" when macros:
                items.AddRange([new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size), new(FetchKind.Envelope)]);
                return;
            case "FAST" when macros:
                items.AddRange([new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size)]);
                return;
            case "FULL" when macros:
                items.AddRange([new(FetchKind.Flags), new(FetchKind.InternalDate), new(FetchKind.Size), new(FetchKind.Envelope), new(FetchKind.Body)]);
                return;
            case "UID": items.Add(new(FetchKind.Uid)); return;
            case "FLAGS": items.Add(new(FetchKind.Flags)); return;
            case "INTERNALDATE": items.Add(new(FetchKind.InternalDate)); return;
            case "RFC822.SIZE": items.Add(new(FetchKind.Size)); return;
            case "ENVELOPE": items.Add(new(FetchKind.Envelope)); return;
            case "BODYSTRUCTURE": items.Add(new(FetchKind.BodyStructure)); return;
            case "MODSEQ": items.Add(new(FetchKind.ModSeq)); return;
            case "RFC822": items.Add(new(FetchKind.Rfc822)); return;
            case "RFC822.HEADER": items.Add(new(FetchKind.Rfc822Header, Peek: true)); return;
            case "RFC822.TEXT": items.Add(new(FetchKind.Rfc822Text)); return;
            case "BODY" when t.Peek() != '[': items.Add(new(FetchKind.Body)); return;
            case "BODY" or "BODY.PEEK":
            {
                var section = ReadSection(t, partsOnly: false);
                var (start, length) = ReadPartial(t);
                items.Add(new(FetchKind.Section, section, name == "BODY.PEEK", start, length));
                return;
            }
            case "BINARY" or "BINARY.PEEK":
            {
                var section = ReadSection(t, partsOnly: true);
                var (start, length) = ReadPartial(t);
                items.Add(new(FetchKind.Binary, section, name == "BINARY.PEEK", start, length));
                return;
            }
            case "BINARY.SIZE":
                items.Add(new(FetchKind.BinarySize, ReadSection(t, partsOnly: true), Peek: true));
                return;
            default:
                t.Fail($"Unknown FETCH item {name}");
                return;
        }
    }

    private static Section ReadSection(Tokenizer t, bool partsOnly)
    {
        t.Expect((byte)'[', "'['");
        if (t.TryByte((byte)']')) return Section.Whole;
        var spec = t.Atom(static b => b is >= (byte)'0' and <= (byte)'9' or (byte)'.' || (b | 0x20) is >= (byte)'a' and <= (byte)'z');
        if (!t.Ok) return Section.Whole;
        var pieces = spec.Split('.');
        var part = new List<int>();
        var i = 0;
        for (; i < pieces.Length && pieces[i].Length > 0 && pieces[i].All(char.IsAsciiDigit); i++)
        {
            if (!int.TryParse(pieces[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n == 0)
            {
                t.Fail("Invalid part number");
                return Section.Whole;
            }
            part.Add(n);
        }
        var textName = string.Join('.', pieces[i..]).ToUpperInvariant();
        var text = textName switch
        {
            "" => SectionText.None,
            "HEADER" => SectionText.Header,
            "HEADER.FIELDS" => SectionText.HeaderFields,
            "HEADER.FIELDS.NOT" => SectionText.HeaderFieldsNot,
            "TEXT" => SectionText.Text,
            "MIME" when part.Count > 0 => SectionText.Mime,
            _ => (SectionText)(-1),
        };
        if ((int)text < 0 || (partsOnly && text != SectionText.None))
        {
            t.Fail($"Invalid section {spec}");
            return Section.Whole;
        }
        var fields = new List<string>();
        if (text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
        {
            t.Sp();
            t.List(() => fields.Add(Encoding.ASCII.GetString(t.AStringBytes()).ToUpperInvariant()), allowEmpty: false);
        }
        t.Expect((byte)']', "']'");
        return new Section(part, text, fields);
    }

    private static (long?, long?) ReadPartial(Tokenizer t)
    {
        if (!t.TryByte((byte)'<')) return (null, null);
        var start = t.Number();
        t.Expect((byte)'.', "'.'");
        var length = t.Number(nonZero: true);
        t.Expect((byte)'>', "'>'");
        return (start, length);
    }
}
