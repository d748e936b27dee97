using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>stalwartlabs/mail-auth DKIM messages: real signatures (Facebook, GitHub, IETF, Topicbox, ...).</summary>
public sealed class StalwartSuiteTests(ITestOutputHelper output)
{
    private const long Now = 1_667_843_664;

    public static TheoryData<string> Cases => new() { "001", "002", "003", "004", "005", "006" };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_signature_in_the_stalwart_case_verifies_pass(string name)
    {
        var (dns, message) = Load($"stalwart/{name}.txt");
        var results = await new DkimVerifier(dns, FixedClock.AtUnix(Now)).VerifyAsync(message);

        foreach (var result in results) output.WriteLine(result.ToAuthenticationResults());
        output.WriteLine($"{name}: {results.Count(r => r.Status == DkimStatus.Pass)} of {results.Count} signatures passed");
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public async Task All_six_stalwart_cases_run_and_pass()
    {
        var ran = 0;
        var passed = 0;
        foreach (var name in new[] { "001", "002", "003", "004", "005", "006" })
        {
            var (dns, message) = Load($"stalwart/{name}.txt");
            var results = await new DkimVerifier(dns, FixedClock.AtUnix(Now)).VerifyAsync(message);
            ran++;
            if (results.All(r => r.Status == DkimStatus.Pass)) passed++;
        }
        output.WriteLine($"stalwart DKIM cases: {ran} ran, {passed} passed");
        Assert.Equal(6, ran);
        Assert.Equal(6, passed);
    }

    [Fact]
    public async Task The_topicbox_signature_is_reported_expired_a_day_later()
    {
        var (dns, message) = Load("stalwart/005.txt");
        var results = await new DkimVerifier(dns, FixedClock.AtUnix(1_667_930_065)).VerifyAsync(message);
        output.WriteLine(results[0].ToAuthenticationResults());
        Assert.Equal(DkimStatus.Policy, results[0].Status);
        Assert.Contains("expired", results[0].Reason, StringComparison.Ordinal);
    }

    private static (InMemoryDns Dns, byte[] Message) Load(string relative)
    {
        var bytes = DkimTestSuites.ReadBytes(relative);
        var text = Encoding.UTF8.GetString(bytes);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"{relative} has no blank line between the DNS records and the message");
        var dns = new InMemoryDns();
        foreach (var line in text[..split].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            dns.Add(line[..space], line[(space + 1)..].TrimEnd('\r'));
        }
        var messageStart = Encoding.UTF8.GetByteCount(text[..(split + 2)]);
        return (dns, DkimTestSuites.ToCrlf(bytes[messageStart..]));
    }
}
