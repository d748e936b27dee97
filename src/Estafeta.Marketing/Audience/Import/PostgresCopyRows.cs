using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// A chunk's staging rows in PostgreSQL's binary <c>COPY</c> format (a signature, then per row a field count and each
/// field as its length and bytes, -1 for null; then -1), written through the same <see cref="ImportStage"/> calls as a
/// stage that sends them at once, but kept in memory: the reading thread encodes each row as it adds it to the chunk, so
/// the writing thread only sends the bytes (the server waited for the rows to be encoded while the <c>COPY</c> ran).
/// Text is UTF-8 (the connection's encoding), integers are 8-byte big-endian, and JSON is <c>jsonb</c>'s binary form: a
/// version byte (1) and the text.
/// </summary>
internal sealed class PostgresCopyRows : ImportStage
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    private readonly ArrayBufferWriter<byte> buffer = new(1 << 20);
    private readonly short fieldCount;
    private bool finished;

    public PostgresCopyRows(int fieldCount)
    {
        this.fieldCount = checked((short)fieldCount);
        buffer.Write(Signature);
        Int32(0); // flags
        Int32(0); // length of the header extension
    }

    public override void StartRow() => Int16(fieldCount);

    public override void EndRow()
    {
    }

    public override void Number(double? value)
    {
        if (value is not { } v)
        {
            Int32(-1);
            return;
        }

        Int32(8);
        BinaryPrimitives.WriteDoubleBigEndian(buffer.GetSpan(8), v);
        buffer.Advance(8);
    }

    public override void Integer(long? value)
    {
        if (value is not { } v)
        {
            Int32(-1);
            return;
        }

        Int32(8);
        Int64(v);
    }

    public override Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The whole payload, ended.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        if (!finished)
        {
            Int16(-1);
            finished = true;
        }

        return buffer.WrittenMemory;
    }

    public override void Text(string? value)
    {
        if (value is null)
        {
            Int32(-1);
            return;
        }

        var span = buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        buffer.Advance(4 + length);
    }

    public override void Json(string? value)
    {
        if (value is null)
        {
            Int32(-1);
            return;
        }

        var span = buffer.GetSpan(5 + Encoding.UTF8.GetMaxByteCount(value.Length));
        span[4] = 1;
        var length = Encoding.UTF8.GetBytes(value, span[5..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length + 1);
        buffer.Advance(5 + length);
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(buffer.GetSpan(2), value);
        buffer.Advance(2);
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }
}
