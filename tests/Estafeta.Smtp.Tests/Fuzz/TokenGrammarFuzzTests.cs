using System.Text;
using Estafeta.Net;
using Estafeta.Smtp.Auth;
using Estafeta.Smtp.Grammar;
using Estafeta.Smtp.Session;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>The small grammars around the paths: command lines, ESMTP parameters, xtext, HELO names and the
/// AUTH responses, fed real values, mutations of them and random octets. None of them throws, and what they
/// accept keeps to their grammar.</summary>
public sealed class TokenGrammarFuzzTests
{
    private static readonly string[] Lines =
    [
        "EHLO client.example.test", "HELO [192.0.2.1]", "MAIL FROM:<a@example.test> SIZE=10", "RCPT TO:<b@example.test>",
        "DATA", "RSET", "NOOP", "QUIT", "VRFY b", "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH LOGIN", "STARTTLS", "BDAT 10 LAST",
    ];

    private static readonly string[] Parameters =
    [
        " SIZE=10", " BODY=8BITMIME", " SMTPUTF8", " RET=HDRS ENVID=a+2Bb", " NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a@b.test",
        "  SIZE=1   BODY=7BIT  ", " X-UNKNOWN", " AUTH=<>", "",
    ];

    private static readonly string[] HeloNames =
    [
        "client.example.test", "[192.0.2.1]", "[IPv6:2001:db8::1]", "localhost", "bücher.test", "client.example.test extra words",
        "  spaced.example.test  ", "_underscore.example.test", new string('h', 255),
    ];

    [Fact]
    public void Command_lines_split_into_a_verb_of_letters_or_none()
    {
        Fuzzing.Run(2821, 3000, r => Fuzzing.Show(Line(r)), random =>
        {
            var line = Line(random);
            var command = CommandLine.Parse(line);
            if (command.Verb is { } verb) Assert.True(verb.Length is > 0 and <= 16 && verb.All(char.IsAsciiLetterUpper), verb);
            var argument = command.Argument.Span;
            Assert.True(argument.IsEmpty || argument[^1] is not ((byte)' ' or (byte)'\t'));
            _ = Transcript.ClientLine(command, line);
        });
    }

    [Fact]
    public void Esmtp_parameters_parse_to_keywords_and_values_of_the_grammar()
    {
        Fuzzing.Run(1869, 3000, r => Fuzzing.Show(ParameterText(r)), random =>
        {
            var text = ParameterText(random);
            var parsed = new List<EsmtpParameter>();
            if (!EsmtpParameters.TryParse(text, parsed, out var error))
            {
                PathGrammarFuzzTests.AssertRefusal(error, 555);
                return;
            }
            Assert.Equal(parsed.Count, parsed.Select(p => p.Keyword).Distinct().Count());
            foreach (var (keyword, value) in parsed)
            {
                Assert.True(keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0]) && keyword.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-'), keyword);
                if (value is not null) Assert.True(value.Length > 0 && value.All(c => c is >= '!' and <= '~' and not '='), value);
            }
        });
    }

    [Fact]
    public void Xtext_round_trips_any_octets_and_refuses_broken_text_without_throwing()
    {
        Fuzzing.Run(3462, 3000, r => Fuzzing.Show(RandomOctets(r)), random =>
        {
            var octets = RandomOctets(random);
            var encoded = Encode(octets);
            Assert.True(Xtext.TryDecode(Encoding.ASCII.GetBytes(encoded), out var decoded), encoded);
            Assert.Equal(octets, decoded);

            var mutated = random.Mutate(Encoding.Latin1.GetBytes(encoded));
            if (Xtext.TryDecode(mutated, out var again)) Assert.True(again.Length <= mutated.Length);
        });
    }

    [Fact]
    public void Helo_names_are_one_printable_word_or_refused()
    {
        Fuzzing.Run(4114, 3000, r => Fuzzing.Show(HeloArgument(r)), random =>
        {
            var argument = HeloArgument(random);
            if (!HeloName.TryParse(argument, out var name)) return;
            Assert.True(name.Length > 0 && Encoding.UTF8.GetByteCount(name) <= HeloName.MaxLength, name);
            Assert.DoesNotContain(name, c => c == ' ' || char.IsControl(c));
            _ = new SmtpReply(250, "", $"{TestServerName} Hello {name}");
        });
    }

    [Fact]
    public void Auth_responses_decode_or_are_refused_without_throwing()
    {
        Fuzzing.Run(4954, 3000, r => Fuzzing.Show(AuthResponse(r)), random =>
        {
            var line = AuthResponse(random);
            var response = SaslResponse.Decode(line);
            Assert.True(Enum.IsDefined(response.Kind));
            if (response.Kind != SaslResponseKind.Data) return;
            if (SaslPlain.TryParse(response.Data, out var credentials, out _) == SaslPlainStatus.Ok)
            {
                Assert.True(credentials!.Login.Length > 0 && credentials.Password.Length > 0);
                Assert.DoesNotContain(credentials.Login + credentials.Password, c => c is '\0' or '\r' or '\n');
            }
            if (SaslText.TryDecode(response.Data, out var text)) Assert.DoesNotContain(text, c => c is '\0' or '\r' or '\n');
        });
    }

    [Fact]
    public void Base64_of_a_plain_message_decodes_to_the_same_credentials()
    {
        Fuzzing.Run(4616, 1000, r => Fuzzing.Show(PlainMessage(r).Login), random =>
        {
            var (login, password) = PlainMessage(random);
            var line = Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{login}\0{password}")));
            var response = SaslResponse.Decode(line);
            Assert.Equal(SaslResponseKind.Data, response.Kind);
            Assert.Equal(SaslPlainStatus.Ok, SaslPlain.TryParse(response.Data, out var credentials, out _));
            Assert.Equal((login, password), (credentials!.Login, credentials.Password));
        });
    }

    private const string TestServerName = "mx.example.test";

    private static byte[] Line(Random random)
    {
        var text = random.Pick(Lines);
        if (random.Chance(0.9)) text = random.Mutate(text, [" ", "\t", "  ", "\0", "MAIL", "mail", "FROM:", "AUTH ", "é", new string('A', 17)]);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }

    private static byte[] ParameterText(Random random)
    {
        var text = string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Pick(Parameters)));
        if (random.Chance(0.9)) text = random.Mutate(text, PathGrammarFuzzTests.Tokens);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.2) ? random.Mutate(bytes) : bytes;
    }

    private static byte[] HeloArgument(Random random)
    {
        var text = random.Pick(HeloNames);
        if (random.Chance(0.8)) text = random.Mutate(text, [" ", "\t", "[", "]", ".", "é", "\u0085", "\0", new string('x', 200)]);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }

    private static byte[] AuthResponse(Random random)
    {
        var (login, password) = PlainMessage(random);
        var message = random.Pick([$"\0{login}\0{password}", $"{login}\0{login}\0{password}", $"x\0{login}\0{password}", login, $"\0\0", "",
            $"\0{login}{random.AwkwardText()}\0{password}{random.AwkwardText()}"]);
        var text = random.Pick([Convert.ToBase64String(Encoding.UTF8.GetBytes(message)), "=", "*", "", "====", "AA=A", "A"]);
        if (random.Chance(0.7)) text = random.Mutate(text, ["=", "==", "*", "+", "/", "-", "_", " ", "AAAA"]);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }

    private static (string Login, string Password) PlainMessage(Random random)
    {
        // RFC 4616 SAFE: no NUL, CR or LF; and well-formed text, so no lone surrogate.
        static string Clean(string s) => new([.. s.Where(c => c is not ('\0' or '\r' or '\n') && !char.IsSurrogate(c))]);
        var login = Clean(random.Word(20));
        var password = Clean(random.Word(30) + random.AwkwardText());
        return (login.Length == 0 ? "alice@example.test" : login, password.Length == 0 ? "p" : password);
    }

    private static byte[] RandomOctets(Random random)
    {
        var octets = new byte[random.Next(0, 40)];
        random.NextBytes(octets);
        if (random.Chance(0.5)) for (var i = 0; i < octets.Length; i++) octets[i] = (byte)random.Next(0x20, 0x7f);
        return octets;
    }

    /// <summary>The xtext encoding of RFC 3461 §4, written out independently of the decoder.</summary>
    private static string Encode(byte[] octets) =>
        string.Concat(octets.Select(b => b is >= 33 and <= 126 and not (byte)'+' and not (byte)'=' ? ((char)b).ToString() : $"+{b:X2}"));
}
