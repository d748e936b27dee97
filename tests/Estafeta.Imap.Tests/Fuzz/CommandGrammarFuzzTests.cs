using System.IO.Pipelines;
using System.Text;
using Estafeta.Imap.Commands;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Session;
using Estafeta.Testing;

namespace Estafeta.Imap.Tests.Fuzz;

/// <summary>Real commands, mutated as text and as octets, read off a pipe and parsed by the grammar pieces their
/// command uses: every one is read or refused, and then parsed or failed with the tokenizer's own error; nothing
/// throws. What has a writer (sequence sets, sections) reads back the same.</summary>
public sealed class CommandGrammarFuzzTests
{
    private static readonly CommandLimits Limits = new(8192, 64 * 1024, 256 * 1024, InMemoryLiteral: 4096);

    [Fact]
    public async Task Mutated_commands_are_read_and_parsed_or_failed_with_a_parse_error()
    {
        var parsed = 0;
        await Fuzzing.RunAsync(9051, 3000, r => Fuzzing.Show(Encoding.Latin1.GetString(Wire(r))), async random =>
        {
            var raw = await ReadAsync(Wire(random));
            await using (raw)
            {
                if (raw.Status != ReadStatus.Command) return;
                if (Parse(raw.Parts, random.Chance(0.5))) parsed++;
            }
        });
        Assert.True(parsed > Fuzzing.Iterations(3000) / 10, $"only {parsed} mutated commands parsed");
    }

    [Fact]
    public async Task The_real_commands_parse()
    {
        foreach (var command in FuzzCommands.All)
        {
            var raw = await ReadAsync([.. "a "u8, .. command.ToWire()]);
            Assert.Equal(ReadStatus.Command, raw.Status);
            Assert.True(Parse(raw.Parts, utf8: false, out var error), $"{command}: {error}");
        }
    }

    private static readonly string[] CutEnds = ["", "\\", "\"", "\"\\", "(", "[", "<", "<1.", ".", ":", ",", "*", "$", "{", "{1", "~", "&", "&A", " ", "\r"];

    /// <summary>A tagged command: a real one mutated as text, sometimes then as octets or cut short, or random text.</summary>
    private static byte[] Wire(Random random)
    {
        var command = random.Pick(FuzzCommands.All);
        // A real command cut anywhere (inside a string, a section, a partial) and ended by one more character.
        if (random.Chance(0.3))
        {
            var whole = command.ToWire();
            return [.. "a "u8, .. whole.AsSpan(0, random.Next(whole.Length)), .. Encoding.UTF8.GetBytes(random.Pick(CutEnds)), .. "\r\n"u8];
        }
        if (random.Chance(0.8)) command = FuzzCommands.Mutate(random, command);
        byte[] wire = [.. "a "u8, .. command.ToWire()];
        if (random.Chance(0.2)) wire = random.Mutate(wire);
        if (random.Chance(0.02)) wire = Encoding.UTF8.GetBytes("a " + random.Word(40) + "\r\n");
        return wire;
    }

    private static bool Parse(IReadOnlyList<CommandPart> parts, bool utf8) => Parse(parts, utf8, out _);

    /// <summary>Walks the command's arguments with the grammar pieces its command uses. True when they parsed; false
    /// when the tokenizer failed, which must then say why.</summary>
    internal static bool Parse(IReadOnlyList<CommandPart> parts, bool utf8, out string? error)
    {
        var t = new Tokenizer(parts) { MaxDepth = 32 };
        t.Atom(CharClass.IsTagChar);
        t.Sp();
        var name = t.Keyword();
        if (t.Ok && name == "UID")
        {
            t.Sp();
            name = t.Keyword();
        }
        if (t.Ok && !t.AtEnd) t.Sp();
        if (t.Ok) Arguments(t, name, utf8);
        t.ExpectEnd();
        error = t.Error;
        if (!t.Ok) Assert.False(string.IsNullOrWhiteSpace(t.Error));
        return t.Ok;
    }

    private static void Arguments(Tokenizer t, string name, bool utf8)
    {
        switch (name)
        {
            case "LOGIN":
                t.AString();
                t.Sp();
                t.AString();
                break;
            case "AUTHENTICATE":
                t.Keyword();
                if (t.Ok && t.TryByte((byte)' ')) t.AStringBytes();
                break;
            case "ID":
                if (!t.TryWord("NIL")) t.List(() => t.NStringBytes());
                break;
            case "SELECT" or "EXAMINE":
                Mailbox(t, utf8);
                if (t.Ok && t.TryByte((byte)' ')) t.List(() => Value(t));
                break;
            case "CREATE" or "DELETE" or "SUBSCRIBE" or "UNSUBSCRIBE" or "GETQUOTAROOT":
                Mailbox(t, utf8, declaresParent: name == "CREATE");
                if (name == "CREATE" && t.Ok && t.TryByte((byte)' ')) t.List(() => Value(t));
                break;
            case "GETQUOTA":
                t.AStringBytes();
                break;
            case "RENAME":
                Mailbox(t, utf8);
                t.Sp();
                Mailbox(t, utf8);
                break;
            case "LIST" or "LSUB":
                if (t.Peek() == '(')
                {
                    t.List(() => t.Keyword());
                    t.Sp();
                }
                t.AStringBytes();
                t.Sp();
                if (t.Peek() == '(') t.List(() => t.ListMailbox(), allowEmpty: false);
                else t.ListMailbox();
                if (t.Ok && t.TryByte((byte)' '))
                {
                    if (!t.TryWord("RETURN")) t.Fail("Expected RETURN");
                    t.Sp();
                    t.List(() => Value(t));
                }
                break;
            case "STATUS":
                Mailbox(t, utf8);
                t.Sp();
                StatusItems.Read(t);
                break;
            case "APPEND":
                Mailbox(t, utf8);
                t.Sp();
                if (t.Peek() == '(')
                {
                    FlagText.ReadList(t, allowBare: false);
                    t.Sp();
                }
                if (t.Peek() == '"')
                {
                    ImapDate.ReadDateTime(t);
                    t.Sp();
                }
                if (t.TryWord("UTF8"))
                {
                    t.Sp();
                    t.Expect((byte)'(', "'('");
                    t.Literal();
                    t.Expect((byte)')', "')'");
                }
                else t.Literal();
                break;
            case "ENABLE":
                do t.Atom();
                while (t.Ok && t.TryByte((byte)' '));
                break;
            case "FETCH":
                Set(t);
                t.Sp();
                foreach (var item in FetchAttribute.ReadList(t).Where(i => i.Section is not null && t.Ok))
                    AssertSectionReadsBack(item.Section!);
                if (t.Ok && t.TryByte((byte)' ')) t.List(() => Value(t));
                break;
            case "STORE":
                Set(t);
                t.Sp();
                if (t.Peek() == '(')
                {
                    t.List(() => Value(t));
                    t.Sp();
                }
                t.Atom();
                t.Sp();
                FlagText.ReadList(t, allowBare: true);
                break;
            case "COPY" or "MOVE":
                Set(t);
                t.Sp();
                Mailbox(t, utf8);
                break;
            case "SEARCH":
                if (t.TryWord("RETURN"))
                {
                    t.Sp();
                    t.List(() => Value(t));
                    t.Sp();
                }
                SearchParser.ReadCharset(t);
                _ = SearchParser.ReadProgram(t).NeedsContent;
                break;
            case "SORT":
                t.List(() => Value(t));
                t.Sp();
                t.AStringBytes();
                t.Sp();
                _ = SearchParser.ReadProgram(t).NeedsContent;
                break;
            case "EXPUNGE" when !t.AtEnd:
                Set(t);
                break;
        }
    }

    /// <summary>A mailbox name: decoded to the store's form or failed with the reason.</summary>
    private static void Mailbox(Tokenizer t, bool utf8, bool declaresParent = false)
    {
        var wire = t.AStringBytes();
        if (!t.Ok) return;
        if (declaresParent && wire.Length > 1 && wire[^1] == MailboxNames.Separator) wire = wire[..^1];
        if (MailboxNames.FromWire(wire, utf8, out var error) is null)
        {
            Assert.False(string.IsNullOrWhiteSpace(error));
            t.Fail(error);
        }
    }

    /// <summary>A sequence set reads back from what it writes, and resolves against any largest number.</summary>
    private static void Set(Tokenizer t)
    {
        var set = t.SequenceSet();
        if (!t.Ok) return;
        var text = set.ToString();
        var again = new Tokenizer([new TextPart(Encoding.ASCII.GetBytes(text))]);
        Assert.Equal(text, again.SequenceSet().ToString());
        Assert.True(again.Ok && again.AtEnd, text);
        foreach (var largest in new long[] { 0, 1, 3, uint.MaxValue, long.MaxValue - 1 })
            Assert.All(set.Resolve(largest), range => Assert.True(range.First >= 1 && range.First <= range.Last));
    }

    /// <summary>Any value of an extension list: nested lists, strings, atoms.</summary>
    private static void Value(Tokenizer t)
    {
        if (t.Peek() == '(') t.List(() => Value(t));
        else if (t.Peek() is '"' or Tokenizer.LiteralNext) t.AStringBytes();
        else t.Atom(b => CharClass.IsAStringChar(b) || b is (byte)'*' or (byte)'%' or (byte)'\\');
    }

    /// <summary>The section as the response names it reads back as the same section.</summary>
    private static void AssertSectionReadsBack(Section section)
    {
        var again = new Tokenizer([new TextPart(Encoding.ASCII.GetBytes("BODY[" + section + "]"))]);
        var items = FetchAttribute.ReadList(again);
        Assert.True(again.Ok && again.AtEnd, again.Error);
        Assert.Equal(section.ToString(), Assert.Single(items).Section!.ToString());
    }

    private static async Task<RawCommand> ReadAsync(byte[] bytes)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        return await CommandReader.ReadAsync(pipe.Reader, Limits, _ => ValueTask.CompletedTask, CancellationToken.None);
    }
}
