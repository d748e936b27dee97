using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Estafeta.Imap.Grammar;
using Estafeta.Testing;

namespace Estafeta.Imap.Tests.Fuzz;

/// <summary>The grammar pieces one at a time, with input built field by field so that the edges of every field are
/// reached: dates, mailbox names in both encodings, literal markers against the limits, and nesting.</summary>
public sealed class GrammarPiecesFuzzTests
{
    private static Tokenizer Of(string text) => new([new TextPart(Encoding.UTF8.GetBytes(text))]);

    private static readonly string[] MonthNames = ["Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo", "", "Janu"];

    [Fact]
    public void Date_times_of_any_fields_parse_or_fail_and_what_parses_formats_back()
    {
        Fuzzing.Run(3501, 3000, r => Fuzzing.Show(DateTimeText(r)), random =>
        {
            var text = DateTimeText(random);
            var t = Of(text);
            var value = ImapDate.ReadDateTime(t);
            Assert.Equal(t.Ok, value is not null);
            if (value is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(t.Error));
                return;
            }
            var again = Of("\"" + ImapDate.Format(value.Value) + "\"");
            Assert.Equal(value, ImapDate.ReadDateTime(again));
        });
    }

    [Fact]
    public void Search_dates_of_any_fields_parse_or_fail()
    {
        Fuzzing.Run(5032, 1500, r => Fuzzing.Show(DateText(r)), random =>
        {
            var t = Of("SINCE " + DateText(random));
            var key = SearchParser.ReadProgram(t);
            // A space the mutation put in makes what follows more keys of the program ("SINCE 31-Aug-8068 6 8" is a date
            // and two message numbers), so the date is the first key of an AND.
            Assert.True(t.Ok ? key is DateKey or AndKey { Keys: [DateKey, ..] } : !string.IsNullOrWhiteSpace(t.Error));
        });
    }

    private static string DateText(Random random)
    {
        var text = $"{Field(random, 2, 31)}-{random.Pick(MonthNames)}-{Field(random, 4, 9999)}";
        return random.Chance(0.3) ? random.Mutate(text, ["-", " ", "0", "9", "\""]) : text;
    }

    private static string DateTimeText(Random random)
    {
        var day = Field(random, 2, 31);
        if (random.Chance(0.2) && day.Length == 2 && day[0] == '0') day = " " + day[1..];
        var text = $"\"{day}-{random.Pick(MonthNames)}-{Field(random, 4, 9999)} {Field(random, 2, 23)}:{Field(random, 2, 59)}:{Field(random, 2, 59)} "
            + $"{random.Pick(["+", "-", "", " "])}{Field(random, 2, 14)}{Field(random, 2, 59)}\"";
        return random.Chance(0.2) ? random.Mutate(text, ["-", ":", " ", "+", "0", "9", "\""]) : text;
    }

    /// <summary>A number field of <paramref name="width"/> digits, mostly in range, often at or past its edges.</summary>
    private static string Field(Random random, int width, int max)
    {
        var value = random.Next(5) switch
        {
            0 => 0,
            1 => max,
            2 => random.Next((int)Math.Pow(10, width)),
            3 => 1,
            _ => random.Next(max + 1),
        };
        var text = value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
        return random.Chance(0.05) ? text + random.Next(10) : text;
    }

    private static readonly string[] NamePieces =
    [
        "INBOX", "inbox", "Archive", "a", "Z", "2024", " ", "&", "-", "+", ",", "~", "/", "\u00e9", "\u00c9t\u00e9", "e\u0301",
        "\u65e5\u672c\u8a9e", "\ud83d\ude00", "\u0130", "\u212a", "\ufeff", "\u00ff", "&-", "&AOk-",
    ];

    [Fact]
    public void Mailbox_names_go_to_the_wire_and_back_in_both_encodings()
    {
        Fuzzing.Run(3503, 3000, r => Fuzzing.Show(Name(r)), random =>
        {
            var name = Name(random);
            var expected = MailboxNames.Normalize(name, out var reason);
            if (Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)) != name)
            {
                // A lone surrogate has no form on the wire; as a name it is refused, not thrown on.
                Assert.Null(expected);
                Assert.False(string.IsNullOrWhiteSpace(reason));
                return;
            }
            foreach (var utf8 in new[] { false, true })
            {
                var wire = Encoding.UTF8.GetBytes(MailboxNames.ToWire(name, utf8));
                var back = MailboxNames.FromWire(wire, utf8, out var error);
                Assert.Equal(expected, back);
                Assert.Equal(reason, error);
                if (!utf8) Assert.DoesNotContain(wire, b => b is < 0x20 or > 0x7e);
            }
        });
    }

    private static string Name(Random random)
    {
        var name = new StringBuilder();
        var pieces = 1 + random.Next(6);
        for (var i = 0; i < pieces; i++) name.Append(random.Chance(0.1) ? random.Word(3) : random.Pick(NamePieces));
        return name.ToString();
    }

    [Fact]
    public void Mailbox_names_of_any_wire_text_decode_or_give_a_reason()
    {
        string[] tokens = ["&", "-", "&-", "&AOk-", "&2AA-", "&3AA-", "&2D3eAA-", "&AGE-", "&AOk", "&,,,-", "&A-", "&AAA-", "/", "//", "*", "%", "\0"];
        Fuzzing.Run(3502, 3000, r => Fuzzing.Show(WireName(r, tokens)), random =>
        {
            var text = WireName(random, tokens);
            var utf8 = random.Chance(0.3);
            var name = MailboxNames.FromWire(Encoding.UTF8.GetBytes(text), utf8, out var error);
            if (name is null)
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                return;
            }
            Assert.Equal(name, MailboxNames.FromWire(Encoding.UTF8.GetBytes(MailboxNames.ToWire(name, utf8)), utf8, out _));
        });
    }

    private static string WireName(Random random, string[] tokens) =>
        random.Mutate(random.Chance(0.5) ? ModifiedUtf7.Encode(Name(random)) : random.Pick(tokens), tokens);

    [Fact]
    public async Task Literals_announced_beyond_the_limits_are_refused_or_dropped_without_being_kept()
    {
        var limits = new CommandLimits(8192, 16 * 1024, 64 * 1024, InMemoryLiteral: 1024);
        await Fuzzing.RunAsync(7888, 1500, r => Marker(r).Line, async random =>
        {
            var (line, prefix, length, synchronizing, append) = Marker(random);
            // The command's text counts up to the marker, and one octet for the marker itself.
            var limit = append ? limits.MaxMessageSize : limits.MaxCommandSize - prefix.Length - 1;
            var fits = length <= limit;
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
            await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            if (fits) await pipe.Writer.WriteAsync(new byte[length]);
            else if (!synchronizing) await pipe.Writer.WriteAsync(new byte[(int)Math.Min(length, 4096)]);
            await pipe.Writer.WriteAsync("\r\n"u8.ToArray());
            await pipe.Writer.CompleteAsync();

            var continuations = 0;
            await using var raw = await CommandReader.ReadAsync(pipe.Reader, limits, _ => { continuations++; return ValueTask.CompletedTask; }, CancellationToken.None);
            if (fits)
            {
                Assert.Equal(ReadStatus.Command, raw.Status);
                Assert.Equal(synchronizing ? 1 : 0, continuations);
                Assert.Equal(length, Assert.IsType<LiteralPart>(raw.Parts[1]).Literal.Length);
                return;
            }
            Assert.Equal(0, continuations);
            Assert.Equal(synchronizing ? ReadStatus.LiteralRefused : length <= 4096 ? ReadStatus.LiteralDropped : ReadStatus.Closed, raw.Status);
            Assert.DoesNotContain(raw.Parts, part => part is LiteralPart);
        });
    }

    /// <summary>A command line ending in a literal marker, with the announced length near the limits or anywhere up
    /// to the largest the marker allows.</summary>
    private static (string Line, string Prefix, long Length, bool Synchronizing, bool Append) Marker(Random random)
    {
        var append = random.Chance(0.3);
        var synchronizing = random.Chance(0.5);
        var length = random.Next(6) switch
        {
            0 => random.Next(2048),
            1 => 16 * 1024 - random.Next(64),
            2 => 64 * 1024 + random.Next(-8, 8),
            3 => long.MaxValue - random.Next(64),
            4 => (long)(random.NextDouble() * long.MaxValue),
            _ => random.NextInt64(1, 100_000),
        };
        var prefix = append ? "a APPEND INBOX " : random.Pick(["a LOGIN ", "a SELECT ", "a SEARCH TEXT ", "a LOGIN alice "]);
        return (prefix + "{" + length.ToString(CultureInfo.InvariantCulture) + (synchronizing ? "}" : "+}"), prefix, length, synchronizing, append);
    }

    [Fact]
    public void Nesting_of_any_depth_parses_within_the_limit_and_fails_beyond_it()
    {
        Fuzzing.Run(1000, 300, r => Nested(r).Text, random =>
        {
            var (text, depth, search) = Nested(random);
            var t = new Tokenizer([new TextPart(Encoding.ASCII.GetBytes(text))]) { MaxDepth = 32 };
            if (search) SearchParser.ReadProgram(t);
            else
            {
                void Item() { if (t.Peek() == '(') t.List(Item); else t.Atom(); }
                t.List(Item);
            }
            t.ExpectEnd();
            if (depth <= 32) Assert.True(t.Ok, t.Error);
            else Assert.Contains("nested too deeply", t.Error, StringComparison.Ordinal);
        });
    }

    /// <summary>Parentheses, NOT and OR nested to a random depth (sometimes far past any limit) around one key.</summary>
    private static (string Text, int Depth, bool Search) Nested(Random random)
    {
        var search = random.Chance(0.7);
        var depth = (search ? 0 : 1) + (random.Chance(0.5) ? random.Next(40) : random.Next(20_000));
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            switch (search ? random.Next(3) : 0)
            {
                case 0: open.Append('('); close.Append(')'); break;
                case 1: open.Append("NOT "); break;
                default: open.Append("OR SEEN "); break;
            }
        }
        return (open + (search ? "ALL" : "x") + close, depth, search);
    }
}
