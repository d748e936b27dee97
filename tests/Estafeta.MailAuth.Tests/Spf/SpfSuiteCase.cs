using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Spf;

/// <summary>One test of the OpenSPF RFC 7208 suite with the zone of its YAML document.</summary>
public sealed record SpfSuiteCase(
    string Section,
    string Name,
    string Spec,
    string Helo,
    string Host,
    string MailFrom,
    IReadOnlyList<string> Results,
    string? Explanation,
    DnsZone Zone)
{
    public string Id => $"{Section}: {Name}";
}
