using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Writes a DKIM-Signature field (or, for ARC, an ARC-Message-Signature or ARC-Seal field)
/// folded at tag boundaries (and inside h= and b=) so that no line passes 78 characters, with b= alone
/// at the end so that the text hashed before signing is exactly what is sent. Lines are folded with CRLF SP.
/// The field is written as UTF-8 into a pooled buffer (columns are counted in characters), the
/// signature's base64 straight into it; only the finished field becomes a string. Dispose returns the buffer.</summary>
internal sealed class SignatureFieldWriter : IDisposable
{
    private const int LineLimit = 78;
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int length;
    private int column;

    public SignatureFieldWriter(string fieldName = "DKIM-Signature")
    {
        Write(fieldName);
        Write(":"u8);
        column = fieldName.Length + 1;
    }

    /// <summary>Appends "name=value;" as one unit, on the next line when it does not fit.</summary>
    public void Tag(string name, string value)
    {
        StartTag(name, value.Length);
        Write(value);
        Write(";"u8);
    }

    /// <summary>Appends "name=value;" for a value of ASCII octets (a number, base64).</summary>
    public void Tag(string name, ReadOnlySpan<byte> value)
    {
        StartTag(name, value.Length);
        Write(value);
        Write(";"u8);
    }

    /// <summary>Writes "name=" where a tag of a value of <paramref name="valueLength"/> characters fits (on the next line
    /// when not on this one) and counts the whole tag, with its ";", in the column.</summary>
    private void StartTag(string name, int valueLength)
    {
        var tag = name.Length + 2 + valueLength;
        if (column + 1 + tag > LineLimit) NewLine();
        else Space();
        Write(name);
        Write("="u8);
        column += tag;
    }

    /// <summary>Appends h=, breaking after a colon where the list would overflow.</summary>
    public void HeaderList(IReadOnlyList<string> names)
    {
        if (column + 3 + names[0].Length > LineLimit) NewLine();
        else Space();
        Write("h="u8);
        column += 2;
        for (var i = 0; i < names.Count; i++)
        {
            var piece = names[i].Length + 1;
            if (column + piece > LineLimit) NewLine();
            Write(names[i]);
            Write(i == names.Count - 1 ? ";"u8 : ":"u8);
            column += piece;
        }
    }

    /// <summary>Starts the b= tag on a line of its own; the octets so far are what gets hashed. They stay
    /// valid until the writer is written to again.</summary>
    public ReadOnlySpan<byte> BeginSignatureBytes()
    {
        NewLine();
        Write("b="u8);
        column += 2;
        return buffer.AsSpan(0, length);
    }

    /// <summary><see cref="BeginSignatureBytes"/> as text.</summary>
    public string BeginSignature() => Encoding.UTF8.GetString(BeginSignatureBytes());

    /// <summary>Appends the signature in base64, in folded chunks, and returns the finished field with its CRLF.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public string EndSignature(ReadOnlySpan<byte> signature)
    {
        var size = Base64.GetMaxEncodedToUtf8Length(signature.Length);
        var encoded = size <= 1024 ? stackalloc byte[size] : new byte[size];
        Base64.EncodeToUtf8(signature, encoded, out _, out var written);
        var base64 = encoded[..written];
        var position = 0;
        while (position < base64.Length)
        {
            if (column >= LineLimit - 1) NewLine();
            var take = Math.Min(LineLimit - column, base64.Length - position);
            Write(base64.Slice(position, take));
            column += take;
            position += take;
        }
        Write("\r\n"u8);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    public void Dispose()
    {
        var rented = buffer;
        buffer = [];
        if (rented.Length > 0) ArrayPool<byte>.Shared.Return(rented);
    }

    private void Space()
    {
        Write(" "u8);
        column++;
    }

    private void NewLine()
    {
        Write("\r\n "u8);
        column = 1;
    }

    private void Write(ReadOnlySpan<byte> octets)
    {
        Reserve(octets.Length);
        octets.CopyTo(buffer.AsSpan(length));
        length += octets.Length;
    }

    private void Write(string text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        length += Encoding.UTF8.GetBytes(text, buffer.AsSpan(length));
    }

    private void Reserve(int more)
    {
        if (length + more <= buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + more));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}
