using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Writes a DKIM-Signature field (or, for ARC, an ARC-Message-Signature or ARC-Seal field)
/// folded at tag boundaries (and inside h= and b=) so that no line passes 78 characters, with b= alone
/// at the end so that the text hashed before signing is exactly what is sent. Lines are folded with CRLF SP.</summary>
internal sealed class SignatureFieldWriter(string fieldName = "DKIM-Signature")
{
    private const int LineLimit = 78;
    private readonly StringBuilder text = new StringBuilder(1024).Append(fieldName).Append(':');
    private int column = fieldName.Length + 1;

    /// <summary>Appends "name=value;" as one unit, on the next line when it does not fit.</summary>
    public void Tag(string name, string value)
    {
        var tag = name + "=" + value + ";";
        if (column + 1 + tag.Length > LineLimit) NewLine();
        else Space();
        Append(tag);
    }

    /// <summary>Appends h=, breaking after a colon where the list would overflow.</summary>
    public void HeaderList(IReadOnlyList<string> names)
    {
        if (column + 3 + names[0].Length > LineLimit) NewLine();
        else Space();
        Append("h=");
        for (var i = 0; i < names.Count; i++)
        {
            var piece = names[i] + (i == names.Count - 1 ? ";" : ":");
            if (column + piece.Length > LineLimit) NewLine();
            Append(piece);
        }
    }

    /// <summary>Starts the b= tag on a line of its own; the text so far is what gets hashed.</summary>
    public string BeginSignature()
    {
        NewLine();
        Append("b=");
        return text.ToString();
    }

    /// <summary>Appends the base64 signature in folded chunks and returns the finished field with its CRLF.</summary>
    public string EndSignature(string base64)
    {
        var position = 0;
        while (position < base64.Length)
        {
            if (column >= LineLimit - 1) NewLine();
            var take = Math.Min(LineLimit - column, base64.Length - position);
            Append(base64.Substring(position, take));
            position += take;
        }
        text.Append("\r\n");
        return text.ToString();
    }

    private void Space()
    {
        text.Append(' ');
        column++;
    }

    private void NewLine()
    {
        text.Append("\r\n ");
        column = 1;
    }

    private void Append(string value)
    {
        text.Append(value);
        column += value.Length;
    }
}
