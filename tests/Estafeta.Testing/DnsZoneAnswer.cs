namespace Estafeta.Testing;

public enum DnsZoneOutcome
{
    /// <summary>The name exists; <see cref="DnsZoneAnswer.Records"/> may hold no record of the asked type (NODATA).</summary>
    Answer,
    /// <summary>NXDOMAIN.</summary>
    NameError,
    /// <summary>SERVFAIL (also given for a CNAME loop).</summary>
    ServerFailure,
    /// <summary>No answer is ever sent.</summary>
    Timeout,
}

/// <summary>What a zone answers to one question. <see cref="Records"/> starts with the CNAME
/// records followed to reach the final name.</summary>
public sealed record DnsZoneAnswer(DnsZoneOutcome Outcome, IReadOnlyList<ZoneRecord> Records)
{
    public IEnumerable<T> Of<T>(DnsRecordType type) where T : ZoneRecord =>
        Records.Where(r => r.Type == type).OfType<T>();
}
