using System.Buffers.Binary;
using System.Text;

namespace Estafeta.Testing;

/// <summary>A parsed DNS query: header, the one question, and the EDNS(0) payload size from an OPT
/// record in the additional section (RFC 1035 §4.1, RFC 6891 §6.1.2).</summary>
internal sealed record DnsQueryMessage(ushort Id, ushort Flags, string Name, DnsRecordType Type, ushort Class, int? EdnsPayloadSize)
{
    public const ushort ClassInternet = 1;
    private const int HeaderLength = 12;

    public bool RecursionDesired => (Flags & 0x0100) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public static bool TryParse(ReadOnlySpan<byte> message, out DnsQueryMessage query)
    {
        query = null!;
        if (message.Length < HeaderLength)
        {
            return false;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authorities = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additionals = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if ((flags & 0x8000) != 0 || questions != 1)
        {
            return false;
        }

        var at = HeaderLength;
        if (!TryReadName(message, ref at, out var name) || at + 4 > message.Length)
        {
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
        var qclass = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]);
        at += 4;

        int? payload = null;
        for (var i = 0; i < answers + authorities + additionals; i++)
        {
            if (!TryReadName(message, ref at, out _) || at + 10 > message.Length)
            {
                return false;
            }

            var rrType = BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
            var rrClass = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 2)..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(at + 8)..]);
            at += 10 + rdLength;
            if (at > message.Length)
            {
                return false;
            }

            if (rrType == (ushort)DnsRecordType.Opt)
            {
                payload = rrClass;
            }
        }

        query = new DnsQueryMessage(id, flags, name, type, qclass, payload);
        return true;
    }

    /// <summary>Reads a name, following compression pointers (RFC 1035 §4.1.4).</summary>
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int at, out string name)
    {
        var builder = new StringBuilder();
        var position = at;
        var jumped = false;
        for (var hops = 0; hops < 128; hops++)
        {
            if (position >= message.Length)
            {
                break;
            }

            var length = message[position];
            if (length == 0)
            {
                if (!jumped)
                {
                    at = position + 1;
                }

                name = builder.ToString();
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length)
                {
                    break;
                }

                if (!jumped)
                {
                    at = position + 2;
                    jumped = true;
                }

                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (length > 63 || position + 1 + length > message.Length)
            {
                break;
            }

            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(Encoding.UTF8.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }

        name = string.Empty;
        return false;
    }
}
