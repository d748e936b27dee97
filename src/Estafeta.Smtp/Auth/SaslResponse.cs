using System.Buffers;
using System.Buffers.Text;

namespace Estafeta.Smtp.Auth;

internal enum SaslResponseKind { Data, Cancelled, BadBase64 }

/// <summary>A client's answer in an AUTH exchange (RFC 4954 §4): base64, "=" for an empty initial
/// response, or "*" to cancel.</summary>
internal readonly record struct SaslResponse(SaslResponseKind Kind, byte[] Data)
{
    public static SaslResponse Decode(ReadOnlySpan<byte> line)
    {
        if (line.SequenceEqual("*"u8)) return new SaslResponse(SaslResponseKind.Cancelled, []);
        if (line.SequenceEqual("="u8)) return new SaslResponse(SaslResponseKind.Data, []);
        if (line.IsEmpty || line.Length % 4 != 0) return new SaslResponse(SaslResponseKind.BadBase64, []);
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(line.Length)];
        var status = Base64.DecodeFromUtf8(line, bytes, out var consumed, out var written);
        return status == OperationStatus.Done && consumed == line.Length
            ? new SaslResponse(SaslResponseKind.Data, bytes[..written])
            : new SaslResponse(SaslResponseKind.BadBase64, []);
    }

    /// <summary>Never shows the payload.</summary>
    public override string ToString() => $"SaslResponse({Kind}, {Data.Length} bytes)";
}
