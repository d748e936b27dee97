using System.Net;
using Estafeta.Mail.Authentication;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class DomainRecordsTests
{
    private static DomainRecordSet Build(params string[] addresses) =>
        DomainRecords.Build("ejemplo.test", "mx.ejemplo.test", [.. addresses.Select(IPAddress.Parse)], TestKeys.Pair());

    [Fact]
    public void The_records_are_exact_zone_file_lines()
    {
        var set = Build("203.0.113.7", "2001:db8::7");
        var lines = set.Records.ToDictionary(r => r.Purpose, r => r.ZoneLine);

        Assert.Equal("ejemplo.test. 3600 IN MX 10 mx.ejemplo.test.", lines["MX"]);
        Assert.Equal("ejemplo.test. 3600 IN TXT \"v=spf1 ip4:203.0.113.7 ip6:2001:db8::7 -all\"", lines["SPF"]);
        Assert.Equal("_dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@ejemplo.test\"", lines["DMARC"]);
        Assert.Equal("_smtp._tls.ejemplo.test. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@ejemplo.test\"", lines["TLS-RPT"]);
        Assert.Matches("^_mta-sts\\.ejemplo\\.test\\. 3600 IN TXT \"v=STSv1; id=[0-9a-f]{20}\"$", lines["MTA-STS"]);
        Assert.Equal($"e202611e._domainkey.ejemplo.test. 3600 IN TXT ( \"v=DKIM1; k=ed25519; p={TestKeys.Ed25519.PublicKeyBase64}\" )", lines["DKIM ed25519-sha256 (active)"]);
        Assert.Empty(set.Problems);
    }

    [Fact]
    public void The_rsa_key_record_is_split_into_strings_of_at_most_255_octets()
    {
        var rsa = Build("203.0.113.7").Records.Single(r => r.Purpose == "DKIM rsa-sha256 (active)");

        Assert.Equal("e202611r._domainkey.ejemplo.test", rsa.Name);
        Assert.Equal(2, rsa.Strings.Count);
        Assert.Equal(255, rsa.Strings[0].Length);
        Assert.Equal(rsa.Value, string.Concat(rsa.Strings));
        Assert.Equal($"v=DKIM1; k=rsa; p={TestKeys.Rsa.PublicKeyBase64}", rsa.Value);
        Assert.Equal($"e202611r._domainkey.ejemplo.test. 3600 IN TXT ( \"{rsa.Strings[0]}\" \"{rsa.Strings[1]}\" )", rsa.ZoneLine);
    }

    [Fact]
    public void Without_sending_addresses_the_spf_record_is_left_out_and_the_operator_is_told_how_to_set_them()
    {
        var set = Build();

        Assert.DoesNotContain(set.Records, r => r.Purpose == "SPF");
        Assert.Contains(set.Problems, p => p.Contains("estafeta domain set ejemplo.test --sending-ip ADDRESS", StringComparison.Ordinal));
    }

    [Fact]
    public void The_next_steps_tighten_dmarc_to_quarantine_then_reject()
    {
        var steps = Build("203.0.113.7").NextSteps;

        Assert.Contains("_dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@ejemplo.test\"", steps[0], StringComparison.Ordinal);
        Assert.Contains("_dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc-reports@ejemplo.test\"", steps[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_mta_sts_policy_names_this_server()
    {
        Assert.Equal("version: STSv1\r\nmode: testing\r\nmx: mx.ejemplo.test\r\nmax_age: 604800\r\n", Build().MtaStsPolicy);
    }
}
