using Estafeta.Imap.Protocol;

namespace Estafeta.Imap.Mime;

/// <summary>BODYSTRUCTURE and BODY (RFC 9051 §7.5.2, body and its extension data), from a parsed message.</summary>
internal static class BodyStructureWriter
{
    public static void Write(ResponseWriter w, MimeNode node, bool extended)
    {
        if (node.IsMultipart)
        {
            w.Open();
            foreach (var child in node.Children) Write(w, child, extended);
            if (node.Children.Count == 0) Write(w, EmptyText(node), extended);
            w.Sp().String(node.Subtype);
            if (extended)
            {
                w.Sp();
                Parameters(w, node.Parameters);
                Extension(w, node);
            }
            w.Close();
            return;
        }

        w.Open().String(node.Type).Sp().String(node.Subtype).Sp();
        Parameters(w, node.Parameters);
        w.Sp().NString(node.Id).Sp().NString(node.Description).Sp().String(node.Encoding).Sp().Number(node.Size);
        if (node.Message is { } message)
        {
            w.Sp();
            EnvelopeWriter.Write(w, message.Envelope);
            w.Sp();
            Write(w, message.Body, extended);
            w.Sp().Number(node.Lines);
        }
        else if (node.IsText)
        {
            w.Sp().Number(node.Lines);
        }
        if (extended)
        {
            w.Sp().NString(node.Md5);
            Extension(w, node);
        }
        w.Close();
    }

    /// <summary>body-ext: disposition, language, location.</summary>
    private static void Extension(ResponseWriter w, MimeNode node)
    {
        w.Sp();
        if (node.DispositionType is null) w.Nil();
        else
        {
            w.Open().String(node.DispositionType).Sp();
            Parameters(w, node.DispositionParameters ?? []);
            w.Close();
        }
        w.Sp();
        switch (node.Language)
        {
            case null: w.Nil(); break;
            case [var single]: w.String(single); break;
            case var list:
                w.Open();
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) w.Sp();
                    w.String(list[i]);
                }
                w.Close();
                break;
        }
        w.Sp().NString(node.Location);
    }

    private static void Parameters(ResponseWriter w, List<MimeParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            w.Nil();
            return;
        }
        w.Open();
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0) w.Sp();
            w.String(parameters[i].Name).Sp().String(parameters[i].Value);
        }
        w.Close();
    }

    private static MimeNode EmptyText(MimeNode parent) => new()
    {
        HeaderStart = parent.BodyStart,
        BodyStart = parent.BodyStart,
        End = parent.BodyStart,
        Lines = 0,
        Type = "text"u8.ToArray(),
        Subtype = "plain"u8.ToArray(),
        Parameters = [new MimeParameter("charset"u8.ToArray(), "us-ascii"u8.ToArray())],
        Encoding = "7bit"u8.ToArray(),
    };
}
