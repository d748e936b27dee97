using System.Text;
using MimeKit;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>The smallest inputs that showed each fault <see cref="DsnFuzzTests"/> found in <see cref="DsnBuilder"/>.</summary>
public sealed class DsnRegressionTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private static byte[] Build(byte[] original, string? ret = null, string? envelopeId = null, string diagnostic = "550 5.1.1 unknown",
        string remoteMta = "mx.destino.test", long? size = null) =>
        DsnBuilder.Build("mta.origen.test", "ana@origen.test", envelopeId, Now, Now,
            [new DsnRecipient("bea@destino.test", null, "failed", "5.1.1", remoteMta, diagnostic, Now)],
            new MemoryStream(original), ret, size ?? original.Length);

    private static List<string> LineProblems(byte[] dsn)
    {
        var problems = new List<string>();
        DsnFuzzTests.CheckLines(dsn, problems);
        return problems;
    }

    private static HeaderList Group(byte[] dsn, int index) =>
        ((MessageDeliveryStatus)((MultipartReport)MimeMessage.Load(new MemoryStream(dsn)).Body!)[1]).StatusGroups[index];

    [Fact]
    public void An_empty_original_gets_a_dsn()
    {
        foreach (var ret in new[] { null, "FULL", "HDRS" })
            Assert.Empty(LineProblems(Build([], ret)));
    }

    [Fact]
    public void An_envelope_id_with_an_equals_sign_and_a_long_remote_mta_name_are_written_as_they_are_not_as_encoded_words()
    {
        var remote = new string('m', 300) + ".test";

        var dsn = Encoding.UTF8.GetString(Build("From: <ana@origen.test>\r\n\r\nHola\r\n"u8.ToArray(), envelopeId: "a=?b", remoteMta: remote));

        Assert.Contains("\r\nOriginal-Envelope-Id: a=?b\r\n", dsn, StringComparison.Ordinal);
        Assert.Contains($"\r\nRemote-MTA: dns; {remote}\r\n", dsn, StringComparison.Ordinal);
    }

    [Fact]
    public void A_remote_answer_of_one_1000_character_word_keeps_every_line_within_998_octets()
    {
        var dsn = Build("From: <ana@origen.test>\r\n\r\nHola\r\n"u8.ToArray(), diagnostic: "550 5.1.1 " + new string('x', 990));

        Assert.Empty(LineProblems(dsn));
        Assert.StartsWith("smtp; 550 5.1.1 xxxx", Group(dsn, 1)["Diagnostic-Code"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("From: <ana@origen.test>\rSubject: a\r\rHola\r")]
    [InlineData("From: <ana@origen.test>\r\nSubject: \0a\r\n\r\nHo\0la\r\n")]
    public void Bare_line_ends_and_nul_in_the_original_are_not_returned(string original)
    {
        foreach (var ret in new[] { "FULL", "HDRS" })
            Assert.Empty(LineProblems(Build(Encoding.ASCII.GetBytes(original), ret)));
    }

    [Fact]
    public void Lines_over_998_octets_in_the_original_are_not_returned_as_they_are()
    {
        var original = Encoding.ASCII.GetBytes("Subject: " + new string('s', 1500) + "\r\n\r\n" + new string('b', 2500) + "\r\n");

        foreach (var ret in new[] { "FULL", "HDRS" })
            Assert.Empty(LineProblems(Build(original, ret)));
    }

    [Fact]
    public void Ret_full_for_a_message_over_the_limit_returns_its_header_with_a_note()
    {
        var original = Encoding.ASCII.GetBytes("From: <ana@origen.test>\r\nSubject: grande\r\n\r\n" + string.Concat(Enumerable.Repeat("relleno\r\n", 150_000)));

        var dsn = Build(original, "FULL");

        Assert.True(dsn.Length < 64 * 1024, $"a DSN of {dsn.Length} octets");
        var report = (MultipartReport)MimeMessage.Load(new MemoryStream(dsn)).Body!;
        Assert.True(report[2].ContentType.IsMimeType("text", "rfc822-headers"));
        Assert.Contains("only its header", ((TextPart)report[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_of_several_megabytes_is_returned_cut()
    {
        var original = Encoding.ASCII.GetBytes("X-Relleno: " + string.Concat(Enumerable.Repeat("relleno ", 400_000)) + "\r\n\r\nHola\r\n");

        var dsn = Build(original, "HDRS");

        Assert.True(dsn.Length <= DsnBuilder.MaxReturnedContent + 64 * 1024, $"a DSN of {dsn.Length} octets");
        Assert.Empty(LineProblems(dsn));
    }
}
