using System.Net;
using System.Net.Sockets;

namespace Estafeta.Testing;

/// <summary>One resource record of a <see cref="DnsZone"/>. <see cref="Name"/> keeps the case it was added with.</summary>
public abstract record ZoneRecord(string Name, DnsRecordType Type, TimeSpan Ttl)
{
    internal abstract void WriteData(DnsMessageWriter writer);
}

public sealed record AddressZoneRecord(string Name, IPAddress Address, TimeSpan Ttl)
    : ZoneRecord(Name, Address.AddressFamily == AddressFamily.InterNetwork ? DnsRecordType.A : DnsRecordType.Aaaa, Ttl)
{
    internal override void WriteData(DnsMessageWriter writer) => writer.WriteBytes(Address.GetAddressBytes());
}

/// <summary>An MX record; an empty <see cref="Exchange"/> is the root (a null MX, RFC 7505).</summary>
public sealed record MxZoneRecord(string Name, int Preference, string Exchange, TimeSpan Ttl)
    : ZoneRecord(Name, DnsRecordType.Mx, Ttl)
{
    internal override void WriteData(DnsMessageWriter writer)
    {
        writer.WriteUInt16((ushort)Preference);
        writer.WriteName(Exchange);
    }
}

/// <summary>A TXT record made of several character-strings; each is sent as UTF-8, split into
/// pieces of at most 255 octets.</summary>
public sealed record TxtZoneRecord(string Name, IReadOnlyList<string> Strings, TimeSpan Ttl)
    : ZoneRecord(Name, DnsRecordType.Txt, Ttl)
{
    /// <summary>The strings joined without separators, as a resolver returns them.</summary>
    public string Text => string.Concat(Strings);

    internal override void WriteData(DnsMessageWriter writer)
    {
        foreach (var text in Strings)
        {
            writer.WriteCharacterStrings(text);
        }
    }
}

/// <summary>A record whose data is one domain name: PTR, CNAME or NS.</summary>
public sealed record NameZoneRecord(string Name, DnsRecordType Type, string Target, TimeSpan Ttl)
    : ZoneRecord(Name, Type, Ttl)
{
    internal override void WriteData(DnsMessageWriter writer) => writer.WriteName(Target);
}
