using System.Text;
using Estafeta.Smtp.Grammar;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>MAIL and RCPT arguments from a table of real ones, mutated: the parser accepts or refuses with
/// its own reply and never throws, and whatever it accepts is fit for the replies, logs and headers it
/// goes into.</summary>
public sealed class PathGrammarFuzzTests
{
    internal static readonly string[] ReversePaths =
    [
        "FROM:<a@example.test>", "from:<A.B@Example.TEST>", "FROM: <a@example.test>", "FROM:<>", "FROM: <>",
        "FROM:<first.last+tag@sub.example.test>", "FROM:<!#$%&'*+-/=?^_`{|}~@example.test>",
        "FROM:<\"john doe\"@example.test>", "FROM:<\"a\\\"b@c\"@example.test>", "FROM:<\"\"@example.test>",
        "FROM:<@relay.test:a@example.test>", "FROM:<@relay.test,@other.test:a@example.test>",
        "FROM:<a@[192.0.2.1]>", "FROM:<a@[IPv6:2001:db8::1]>", "FROM:<a@[ipv6:::ffff:192.0.2.1]>",
        "FROM:<josé@ejemplo.test> SMTPUTF8", "FROM:<a@bücher.test> SMTPUTF8", "FROM:<\"josé lópez\"@ejemplo.test> SMTPUTF8",
        "FROM:<a@example.test> SIZE=1000", "FROM:<a@example.test> SIZE=99999999999999999999",
        "FROM:<a@example.test> BODY=8BITMIME", "FROM:<a@example.test> BODY=7BIT SMTPUTF8",
        "FROM:<a@example.test> RET=HDRS ENVID=QQ+2B314159", "FROM:<a@example.test> RET=FULL",
        "FROM:<a@example.test> AUTH=<>", "FROM:<a@example.test> AUTH=a+2Bb@example.test",
        "FROM:<a@example.test>  SIZE=10   BODY=8BITMIME  ",
    ];

    internal static readonly string[] ForwardPaths =
    [
        "TO:<b@example.test>", "to:<Postmaster>", "TO:<postmaster>", "TO: <b@example.test>", "TO:<postmaster@example.test>",
        "TO:<\"b c\"@example.test>", "TO:<@relay.test:b@example.test>", "TO:<b@[192.0.2.7]>", "TO:<b@[IPv6:::1]>",
        "TO:<zoë@bücher.test>", "TO:<b@example.test> NOTIFY=SUCCESS,FAILURE", "TO:<b@example.test> NOTIFY=NEVER",
        "TO:<b@example.test> ORCPT=rfc822;b@example.test", "TO:<b@example.test> ORCPT=utf-8;zo+C3+ABb@example.test NOTIFY=DELAY",
        "TO:<b%relay.test@example.test>", "TO:<\"b@evil.test\"@example.test>",
    ];

    internal static readonly string[] Tokens =
    [
        "<", ">", "<>", "@", "@@", ".", "..", ":", ",", ";", "\"", "\\", "\\\"", " ", "  ", "=", "+", "+2B", "+4", "+zz", "+0D+0A", "+00", "+C2+85",
        "[", "]", "[IPv6:", "IPv6:", "::", "::ffff:", "192.0.2.1", "256.0.0.1", "1.2.3", "01.2.3.4", "-", "-.", ".-",
        "SIZE=", "SIZE=0", "SIZE=-1", "SIZE=18446744073709551616", "BODY=", "BODY=BINARYMIME", "SMTPUTF8", "SMTPUTF8=YES",
        "RET=", "ENVID=", "ENVID=+", "AUTH=", "AUTH=<>", "NOTIFY=", "NOTIFY=NEVER,SUCCESS", "ORCPT=", "ORCPT=;", "ORCPT=rfc822;",
        "é", "ü", "\u00c2\u0085", "\u0085", "\u2028", "\u00a0", "\ud83d\ude00", "\u0000", "\t", "\r", "\n",
        "Postmaster", "postmaster", "@relay.test:", "@a,@b:", "example.test", new string('a', 64), new string('a', 65),
        new string('b', 63) + ".", new string('c', 64) + ".",
    ];

    [Fact]
    public void Mutated_mail_arguments_are_accepted_or_refused_with_a_reply()
    {
        Fuzzing.Run(5321, 3000, r => Fuzzing.Show(Argument(r, ReversePaths)), random =>
        {
            var argument = Argument(random, ReversePaths);
            var authenticated = random.Chance(0.5);
            if (!MailArguments.TryParse(argument, authenticated, out var path, out var error))
            {
                AssertRefusal(error, 501, 553, 555);
                return;
            }
            AssertFitForReplies(path.Address);
            Assert.True(path.Size is null or >= 0);
            if (path.EnvelopeId is { } envid) Assert.True(envid.Length is > 0 and <= MailArguments.MaxEnvelopeId && envid.All(c => c is >= ' ' and <= '~'));
            if (path.Address.Any(c => c >= 0x80)) Assert.True(path.SmtpUtf8, "a UTF-8 sender needs SMTPUTF8");
            if (!authenticated) Assert.True(path.Auth is null or "", "AUTH= of a client that did not log in is not trusted");
            if (path.Auth is { } auth) Assert.DoesNotContain(auth, c => char.IsControl(c));
        });
    }

    [Fact]
    public void Mutated_rcpt_arguments_are_accepted_or_refused_with_a_reply()
    {
        Fuzzing.Run(3461, 3000, r => Fuzzing.Show(Argument(r, ForwardPaths)), random =>
        {
            var argument = Argument(random, ForwardPaths);
            var smtpUtf8 = random.Chance(0.5);
            if (!RcptArguments.TryParse(argument, smtpUtf8, out var path, out var error))
            {
                AssertRefusal(error, 501, 553, 555);
                return;
            }
            AssertFitForReplies(path.Address);
            Assert.NotEqual("", path.Address);
            if (!smtpUtf8) Assert.True(path.Address.All(c => c < 0x80), "a UTF-8 recipient needs SMTPUTF8 on MAIL");
            if (path.OriginalRecipient is { } original)
            {
                // The decoded ORCPT goes into the Original-Recipient field of a DSN (RFC 3464 §2.3.1): an address, no control characters.
                Assert.True(original.Address.Length > 0 && Encoding.UTF8.GetByteCount(original.Address) <= RcptArguments.MaxOriginalRecipient);
                Assert.DoesNotContain(original.Address, char.IsControl);
            }
        });
    }

    [Fact]
    public void Random_bytes_after_from_and_to_never_throw()
    {
        Fuzzing.Run(6531, 2000, r => Fuzzing.Show(RandomBytes(r)), random =>
        {
            var bytes = RandomBytes(random);
            if (!MailArguments.TryParse(bytes, random.Chance(0.5), out var from, out var mailError)) AssertRefusal(mailError, 501, 553, 555);
            else AssertFitForReplies(from.Address);
            if (!RcptArguments.TryParse(bytes, random.Chance(0.5), out var to, out var rcptError)) AssertRefusal(rcptError, 501, 553, 555);
            else AssertFitForReplies(to.Address);
        });
    }

    /// <summary>An argument as the server receives it: UTF-8 of a mutated table entry, now and then with its
    /// octets mutated too (invalid UTF-8, bare controls), and now and then near the path length limits.</summary>
    internal static byte[] Argument(Random random, IReadOnlyList<string> table)
    {
        var text = random.Pick(table);
        if (random.Chance(0.9)) text = random.Mutate(text, Tokens);
        if (random.Chance(0.05)) text = text.Replace("a@", new string('x', random.Next(60, 70)) + "@", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.2) ? random.Mutate(bytes) : bytes;
    }

    private static byte[] RandomBytes(Random random)
    {
        var prefix = random.Pick(["FROM:", "TO:", "FROM:<", "TO:<", "from: <@", ""]);
        var tail = new byte[random.Next(0, 300)];
        random.NextBytes(tail);
        if (random.Chance(0.5)) for (var i = 0; i < tail.Length; i++) tail[i] = (byte)random.Pick("<>@.:\"\\[] ab1=+"u8.ToArray());
        return [.. Encoding.ASCII.GetBytes(prefix), .. tail];
    }

    /// <summary>A refusal is one of the parser's own replies: the expected code, one line, nothing from the input
    /// that could break the line.</summary>
    internal static void AssertRefusal(SmtpReply error, params int[] codes)
    {
        Assert.True(error.IsValid, "a refusal comes with a reply");
        Assert.Contains(error.Code, codes);
        Assert.DoesNotContain('\n', error.Text);
        Assert.DoesNotContain('\r', error.Text);
    }

    /// <summary>An accepted address goes into replies ("&lt;address&gt;: Relay access denied"), logs and the
    /// Received header: it must make a valid reply, without control characters, and keep to RFC 5321 §4.5.3.1.</summary>
    internal static void AssertFitForReplies(string address)
    {
        Assert.DoesNotContain(address, char.IsControl);
        Assert.True(Encoding.UTF8.GetByteCount(address) <= PathGrammar.MaxPath);
        _ = SmtpReplies.RelayDenied(address);
        _ = SmtpReplies.UnknownUser(address);
    }
}
