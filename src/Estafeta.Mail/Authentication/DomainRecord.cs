namespace Estafeta.Mail.Authentication;

/// <summary>One DNS record to publish for a sending domain. <see cref="Value"/> is the record data as a
/// resolver returns it (TXT strings joined); <see cref="Strings"/> the TXT character-strings of at most 255
/// octets; <see cref="ZoneLine"/> the exact zone-file line.</summary>
public sealed record DomainRecord(string Purpose, string Name, string Type, string Value, IReadOnlyList<string> Strings, string ZoneLine, string? Note = null);

/// <summary>Everything to publish for a domain, the MTA-STS policy file, the next steps of DMARC, and what
/// is missing to complete the set (for example this server's sending addresses).</summary>
public sealed record DomainRecordSet(
    string Domain,
    IReadOnlyList<DomainRecord> Records,
    string MtaStsPolicy,
    IReadOnlyList<string> NextSteps,
    IReadOnlyList<string> Problems);
