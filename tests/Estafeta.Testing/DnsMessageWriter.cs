using System.Buffers.Binary;
using System.Text;

namespace Estafeta.Testing;

/// <summary>Writes DNS messages in RFC 1035 §4 wire format (big-endian, names as length-prefixed
/// labels, no compression).</summary>
internal sealed class DnsMessageWriter
{
    private byte[] _buffer = new byte[512];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void PatchUInt16(int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset, 2), value);

    /// <summary>A domain name as labels; "" and "." are the root. Labels are UTF-8 octets, at most 63.</summary>
    public void WriteName(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length > 0)
        {
            foreach (var label in trimmed.Split('.'))
            {
                var bytes = Encoding.UTF8.GetBytes(label);
                if (bytes.Length is 0 or > 63)
                {
                    throw new InvalidOperationException($"'{name}' cannot be written as a DNS name.");
                }

                Reserve(1)[0] = (byte)bytes.Length;
                WriteBytes(bytes);
            }
        }

        Reserve(1)[0] = 0;
    }

    /// <summary>Text as one or more character-strings of at most 255 octets (one empty string for "").</summary>
    public void WriteCharacterStrings(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var offset = 0;
        do
        {
            var length = Math.Min(255, bytes.Length - offset);
            Reserve(1)[0] = (byte)length;
            WriteBytes(bytes.AsSpan(offset, length));
            offset += length;
        }
        while (offset < bytes.Length);
    }

    /// <summary>A resource record: owner, type, class IN, TTL, then RDATA written by <paramref name="writeData"/>.</summary>
    public void WriteRecord(string owner, DnsRecordType type, TimeSpan ttl, Action<DnsMessageWriter> writeData)
    {
        WriteName(owner);
        WriteUInt16((ushort)type);
        WriteUInt16(DnsQueryMessage.ClassInternet);
        WriteUInt32((uint)Math.Max(0, (long)ttl.TotalSeconds));
        var lengthAt = Length;
        WriteUInt16(0);
        writeData(this);
        PatchUInt16(lengthAt, (ushort)(Length - lengthAt - 2));
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
