namespace Estafeta.Testing;

/// <summary>Builds the authoritative answer to a query from a zone (RFC 1035 §4.1). NXDOMAIN and
/// NODATA carry an SOA in the authority section for negative caching (RFC 2308 §3). A UDP answer
/// larger than the client accepts is replaced by a truncated one (TC set, question only).</summary>
internal static class DnsResponseBuilder
{
    private const ushort ResponseFlag = 0x8000;
    private const ushort AuthoritativeFlag = 0x0400;
    private const ushort TruncatedFlag = 0x0200;
    private const ushort RecursionDesiredFlag = 0x0100;
    private const int ClassicUdpLimit = 512;
    private const ushort AdvertisedPayloadSize = 4096;

    private const ushort NoError = 0;
    private const ushort FormatError = 1;
    private const ushort ServerFailure = 2;
    private const ushort NameError = 3;
    private const ushort NotImplemented = 4;

    /// <summary>The response bytes, or null when the zone says never to answer.</summary>
    public static byte[]? Build(DnsQueryMessage query, DnsZone zone, bool overUdp)
    {
        if (query.Opcode != 0)
        {
            return Header(query, NotImplemented, truncated: false);
        }

        if (query.Class != DnsQueryMessage.ClassInternet)
        {
            return Header(query, FormatError, truncated: false);
        }

        var answer = zone.Resolve(query.Name, query.Type);
        if (answer.Outcome == DnsZoneOutcome.Timeout)
        {
            return null;
        }

        byte[] full;
        try
        {
            full = Full(query, zone, answer);
        }
        catch (InvalidOperationException)
        {
            return Header(query, ServerFailure, truncated: false);
        }

        var limit = query.EdnsPayloadSize is { } size ? Math.Max(ClassicUdpLimit, size) : ClassicUdpLimit;
        return overUdp && full.Length > limit ? Header(query, RcodeOf(answer.Outcome), truncated: true) : full;
    }

    private static byte[] Full(DnsQueryMessage query, DnsZone zone, DnsZoneAnswer answer)
    {
        var rcode = RcodeOf(answer.Outcome);
        var negative = answer.Outcome == DnsZoneOutcome.NameError
            || (answer.Outcome == DnsZoneOutcome.Answer && !answer.Records.Any(r => r.Type == query.Type || query.Type == DnsRecordType.Any));
        IReadOnlyList<ZoneRecord> answers = answer.Outcome == DnsZoneOutcome.ServerFailure ? [] : answer.Records;

        var writer = new DnsMessageWriter();
        WriteHeader(writer, query, rcode, truncated: false, answers.Count, negative ? 1 : 0);
        WriteQuestion(writer, query);

        // The first owner is the name exactly as asked (case included); later ones are CNAME targets.
        var owner = query.Name;
        foreach (var record in answers)
        {
            writer.WriteRecord(owner, record.Type, record.Ttl, record.WriteData);
            if (record is NameZoneRecord { Type: DnsRecordType.Cname } cname)
            {
                owner = cname.Target;
            }
        }

        if (negative)
        {
            var ttl = zone.NegativeTtl;
            writer.WriteRecord(SoaOwner(owner), DnsRecordType.Soa, ttl, w =>
            {
                w.WriteName("ns.loopback.test");
                w.WriteName("hostmaster.loopback.test");
                w.WriteUInt32(1);
                w.WriteUInt32(3600);
                w.WriteUInt32(600);
                w.WriteUInt32(86400);
                w.WriteUInt32((uint)Math.Max(0, (long)ttl.TotalSeconds));
            });
        }

        WriteOpt(writer, query);
        return writer.Written.ToArray();
    }

    private static byte[] Header(DnsQueryMessage query, ushort rcode, bool truncated)
    {
        var writer = new DnsMessageWriter();
        WriteHeader(writer, query, rcode, truncated, answers: 0, authorities: 0);
        WriteQuestion(writer, query);
        WriteOpt(writer, query);
        return writer.Written.ToArray();
    }

    private static void WriteHeader(DnsMessageWriter writer, DnsQueryMessage query, ushort rcode, bool truncated, int answers, int authorities)
    {
        var flags = (ushort)(ResponseFlag | AuthoritativeFlag | (query.Flags & 0x7800) | (query.Flags & RecursionDesiredFlag) | rcode);
        if (truncated)
        {
            flags |= TruncatedFlag;
        }

        writer.WriteUInt16(query.Id);
        writer.WriteUInt16(flags);
        writer.WriteUInt16(1);
        writer.WriteUInt16((ushort)answers);
        writer.WriteUInt16((ushort)authorities);
        writer.WriteUInt16((ushort)(query.EdnsPayloadSize is null ? 0 : 1));
    }

    private static void WriteQuestion(DnsMessageWriter writer, DnsQueryMessage query)
    {
        writer.WriteName(query.Name);
        writer.WriteUInt16((ushort)query.Type);
        writer.WriteUInt16(query.Class);
    }

    private static void WriteOpt(DnsMessageWriter writer, DnsQueryMessage query)
    {
        if (query.EdnsPayloadSize is null)
        {
            return;
        }

        writer.WriteName(string.Empty);
        writer.WriteUInt16((ushort)DnsRecordType.Opt);
        writer.WriteUInt16(AdvertisedPayloadSize);
        writer.WriteUInt32(0);
        writer.WriteUInt16(0);
    }

    private static ushort RcodeOf(DnsZoneOutcome outcome) => outcome switch
    {
        DnsZoneOutcome.NameError => NameError,
        DnsZoneOutcome.ServerFailure => ServerFailure,
        _ => NoError,
    };

    /// <summary>The parent of the name (its last two labels), standing in for the zone apex.</summary>
    private static string SoaOwner(string name)
    {
        var trimmed = name.TrimEnd('.');
        var last = trimmed.LastIndexOf('.');
        if (last <= 0)
        {
            return trimmed;
        }

        var secondLast = trimmed.LastIndexOf('.', last - 1);
        return secondLast < 0 ? trimmed : trimmed[(secondLast + 1)..];
    }
}
