using System.Text;

namespace Estafeta.MailAuth.Arc;

/// <summary>Writes an ARC-Message-Signature or ARC-Seal field folded at 78 columns, with b= alone
/// at the end so that the text hashed before signing is exactly what is sent.</summary>
internal sealed class ArcFieldWriter
{
    private const int LineLimit = 78;
    private readonly StringBuilder text;
    private int column;

    public ArcFieldWriter(string name)
    {
        text = new StringBuilder(name).Append(':');
        column = name.Length + 1;
    }

    public void Tag(string name, string value)
    {
        var tag = name + "=" + value + ";";
        if (column + 1 + tag.Length > LineLimit) NewLine();
        else Append(" ");
        Append(tag);
    }

    public void HeaderList(IReadOnlyList<string> names)
    {
        if (column + 3 + names[0].Length > LineLimit) NewLine();
        else Append(" ");
        Append("h=");
        for (var i = 0; i < names.Count; i++)
        {
            var piece = names[i] + (i == names.Count - 1 ? ";" : ":");
            if (column + piece.Length > LineLimit) NewLine();
            Append(piece);
        }
    }

    public string BeginSignature()
    {
        NewLine();
        Append("b=");
        return text.ToString();
    }

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
        return text.Append("\r\n").ToString();
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
