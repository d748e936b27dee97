using System.IO.Pipelines;
using System.Text;
using Estafeta.Imap.Grammar;

namespace Estafeta.Imap.Tests.Grammar;

/// <summary>Every command is read whole however the network splits it: fed through a Pipe in segments of every size
/// from 1 to 512 octets, the reader returns the same parts, and the tokenizer the same tokens.</summary>
public sealed class CommandReaderTests
{
    public static TheoryData<string> Commands => new()
    {
        "a1 CAPABILITY\r\n",
        "a2 LOGIN {5}\r\nalice \"se\\\"cret\"\r\n",
        "a3 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n",
        "a4 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n",
        "a5 SELECT INBOX (CONDSTORE)\r\n",
        "a6 UID FETCH 1:*,7 (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100> BINARY.PEEK[1.2]) (CHANGEDSINCE 12345)\r\n",
        "a7 UID STORE 1:3 (UNCHANGEDSINCE 9) +FLAGS.SILENT (\\Seen $Forwarded)\r\n",
        "a8 SEARCH RETURN (MIN MAX COUNT) CHARSET UTF-8 OR (FROM \"bob\" SINCE 1-Feb-2024) NOT SUBJECT {6}\r\nmañan\r\n",
        "a9 APPEND Sent (\\Seen) \"05-Jan-2024 10:00:00 +0000\" {23}\r\nSubject: x\r\n\r\nbody\r\n..\r\n",
        "b1 APPEND Drafts UTF8 (~{11+}\r\nSubject: \0\r\n)\r\n",
        "b2 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"*\" %) RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN SIZE))\r\n",
        "b3 SORT (REVERSE DATE SUBJECT) UTF-8 ALL\r\n",
        "b4 UID MOVE 4:9 Archive\r\n",
        "b5 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n",
        "b6 GETQUOTAROOT INBOX\r\n",
        "b7 ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")\r\n",
        "b8 ENABLE UTF8=ACCEPT CONDSTORE QRESYNC\r\n",
        "b9 IDLE\r\n",
        "c1 STATUS \"Sent Items\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ)\r\n",
        "c2 CREATE Projects/2024 (USE (\\Archive))\r\n",
        "c3 RENAME \"&AMk-t&AOk-\" Summer\r\n",
        "c4 COPY 2:4 {7}\r\nArchive\r\n",
        "c5 UID EXPUNGE 3000:3002\r\n",
        "c6 NOOP\n",
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_split_of_a_command_reads_the_same_parts(string command)
    {
        var bytes = Encoding.UTF8.GetBytes(command);
        var whole = Describe(await ReadAsync(bytes, bytes.Length));
        Assert.DoesNotContain("Closed", whole, StringComparison.Ordinal);
        for (var size = 1; size <= Math.Min(512, bytes.Length); size++)
            Assert.Equal(whole, Describe(await ReadAsync(bytes, size)));
    }

    [Fact]
    public async Task A_literal_splits_the_command_into_text_and_literal_parts()
    {
        var raw = await ReadAsync("a2 LOGIN {5}\r\nalice \"secret\"\r\n"u8.ToArray(), 3);
        Assert.Equal(ReadStatus.Command, raw.Status);
        Assert.Equal(3, raw.Parts.Count);
        var t = new Tokenizer(raw.Parts);
        Assert.Equal("a2", t.Atom(CharClass.IsTagChar));
        t.Sp();
        Assert.Equal("LOGIN", t.Keyword());
        t.Sp();
        Assert.Equal("alice", t.AString());
        t.Sp();
        Assert.Equal("secret", t.AString());
        t.ExpectEnd();
        Assert.Null(t.Error);
    }

    [Fact]
    public async Task A_synchronizing_literal_gets_a_continuation_request_before_it_is_read()
    {
        var continuations = 0;
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("a LOGIN {5}\r\nalice {6}\r\nsecret\r\n"u8.ToArray());
        var raw = await CommandReader.ReadAsync(pipe.Reader, Limits, _ => { continuations++; return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.Equal(ReadStatus.Command, raw.Status);
        Assert.Equal(2, continuations);
    }

    [Fact]
    public async Task A_synchronizing_literal_over_the_limit_is_refused_without_reading_it()
    {
        var raw = await ReadAsync("a LOGIN {999999999}\r\n"u8.ToArray(), 64);
        Assert.Equal(ReadStatus.LiteralRefused, raw.Status);
        Assert.Equal("a", raw.Tag);
    }

    [Fact]
    public async Task A_literal_announced_near_the_largest_number_is_refused_without_a_continuation()
    {
        var continuations = 0;
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("a LOGIN {9223372036854775807}\r\n"u8.ToArray());
        await pipe.Writer.CompleteAsync();
        var raw = await CommandReader.ReadAsync(pipe.Reader, Limits, _ => { continuations++; return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.Equal(ReadStatus.LiteralRefused, raw.Status);
        Assert.Equal(0, continuations);
    }

    [Fact]
    public async Task A_non_synchronizing_literal_over_the_limit_is_read_and_dropped()
    {
        var big = "a LOGIN {2000+}\r\n" + new string('x', 2000) + " y\r\nb NOOP\r\n";
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(big));
        var small = Limits with { MaxCommandSize = 1000 };
        var first = await CommandReader.ReadAsync(pipe.Reader, small, _ => ValueTask.CompletedTask, CancellationToken.None);
        var second = await CommandReader.ReadAsync(pipe.Reader, small, _ => ValueTask.CompletedTask, CancellationToken.None);
        Assert.Equal(ReadStatus.LiteralDropped, first.Status);
        Assert.Equal("b", second.Tag);
    }

    [Fact]
    public async Task A_line_over_the_limit_is_reported_without_being_kept()
    {
        var raw = await ReadAsync(Encoding.ASCII.GetBytes("a NOOP " + new string('x', 70_000) + "\r\n"), 512);
        Assert.Equal(ReadStatus.LineTooLong, raw.Status);
    }

    [Fact]
    public async Task A_large_append_literal_is_spooled_and_read_back_whole()
    {
        var message = "Subject: big\r\n\r\n" + new string('z', 300_000) + "\r\n";
        var raw = await ReadAsync(Encoding.ASCII.GetBytes($"a APPEND INBOX {{{message.Length}+}}\r\n{message}\r\n"), 4096);
        var literal = Assert.IsType<LiteralPart>(raw.Parts[1]).Literal;
        Assert.False(literal.IsInMemory);
        using var reader = new StreamReader(literal.OpenRead());
        Assert.Equal(message, await reader.ReadToEndAsync());
        await raw.DisposeAsync();
    }

    private static readonly CommandLimits Limits = new(64 * 1024, 1024 * 1024, 10 * 1024 * 1024);

    private static async Task<RawCommand> ReadAsync(byte[] bytes, int segment)
    {
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += segment)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(segment, bytes.Length - i)));
                await Task.Yield();
            }
            await pipe.Writer.CompleteAsync();
        });
        var raw = await CommandReader.ReadAsync(pipe.Reader, Limits, _ => ValueTask.CompletedTask, CancellationToken.None);
        await writer;
        return raw;
    }

    private static string Describe(RawCommand raw)
    {
        var text = new StringBuilder(raw.Status.ToString());
        foreach (var part in raw.Parts)
        {
            if (part is TextPart t) text.Append("|T:").Append(Convert.ToHexString(t.Bytes));
            else
            {
                var literal = ((LiteralPart)part).Literal;
                using var stream = literal.OpenRead();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                text.Append("|L").Append(literal.IsBinary ? "8:" : ":").Append(Convert.ToHexString(copy.ToArray()));
            }
        }
        return text.ToString();
    }
}
