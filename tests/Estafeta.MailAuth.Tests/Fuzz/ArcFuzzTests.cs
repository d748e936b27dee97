using System.Text;
using Estafeta.MailAuth.Arc;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Fuzz;

/// <summary>ARC chains of one and two sets, mutated octet by octet: the verifier gives a status and a reason for
/// every one, its result writes a header field without control characters, and sealing such a message again
/// either seals or says why not.</summary>
public sealed class ArcFuzzTests
{
    private static readonly byte[] Original = Encoding.ASCII.GetBytes(
        "From: Alice <alice@example.com>\r\nTo: list@lists.example.org\r\nSubject: Lunch on Friday\r\n"
        + "Date: Wed, 01 Jan 2025 00:00:00 +0000\r\nMessage-ID: <lunch@example.com>\r\n\r\nShall we try the new place?\r\n");

    [Fact]
    public async Task Mutated_arc_chains_verify_to_a_status_and_reseal_or_refuse()
    {
        var listKey = TestKeysForArc.List;
        var relayKey = TestKeysForArc.Relay;
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("arc._domainkey.lists.example.org", DkimDnsRecord.SplitTxt(listKey.DnsTxtValue).ToArray());
        dns.Zone.AddTxt("seal._domainkey.relay.example.net", DkimDnsRecord.SplitTxt(relayKey.DnsTxtValue).ToArray());
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_735_689_600));
        var list = new ArcSealer(new DkimSigningKey("lists.example.org", "arc", listKey), "lists.example.org", clock: clock);
        var relay = new ArcSealer(new DkimSigningKey("relay.example.net", "seal", relayKey), "relay.example.net", clock: clock);
        var verifier = new ArcVerifier(dns);
        AuthenticationResult[] results = [AuthenticationResult.Create("spf", "pass", null, ("smtp.mailfrom", "example.com"))];
        var once = list.SealAndPrepend(Original, await verifier.VerifyAsync(Original), results);
        var twice = relay.SealAndPrepend(once, await verifier.VerifyAsync(once), results);
        Assert.Equal(ArcStatus.Pass, (await verifier.VerifyAsync(twice)).Status);

        var passed = 0;
        await Fuzzing.RunAsync(8617, 150, r => Fuzzing.Show(r.Mutate(r.Pick([once, twice]))), async random =>
        {
            var message = random.Mutate(random.Pick([once, twice]));
            var result = await verifier.VerifyAsync(message).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(Enum.IsDefined(result.Status));
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
            if (result.Status == ArcStatus.Pass) passed++;
            var field = result.ToAuthenticationResult("192.0.2.1").ToString();
            Assert.DoesNotContain(field, c => c is < ' ' and not '\t' or '\x7f');
            var seal = relay.Seal(message, result, results, out var refusal);
            Assert.True(seal is not null || !string.IsNullOrWhiteSpace(refusal));
        });
        Assert.True(passed > 0, "no mutated chain kept verifying");
    }

    private static class TestKeysForArc
    {
        private static readonly Lazy<DkimRsaPrivateKey> list = new(() => DkimPrivateKey.GenerateRsa());
        private static readonly Lazy<DkimRsaPrivateKey> relay = new(() => DkimPrivateKey.GenerateRsa());

        public static DkimRsaPrivateKey List => list.Value;

        public static DkimRsaPrivateKey Relay => relay.Value;
    }
}
