using Estafeta.Imap.Protocol;

namespace Estafeta.Imap.Mime;

/// <summary>Writes ENVELOPE (RFC 9051 §7.5.2).</summary>
internal static class EnvelopeWriter
{
    public static void Write(ResponseWriter w, Envelope e)
    {
        w.Open().NString(e.Date).Sp().NString(e.Subject);
        foreach (var list in new[] { e.From, e.Sender, e.ReplyTo, e.To, e.Cc, e.Bcc })
        {
            w.Sp();
            Addresses(w, list);
        }
        w.Sp().NString(e.InReplyTo).Sp().NString(e.MessageId).Close();
    }

    private static void Addresses(ResponseWriter w, List<EnvelopeAddress>? list)
    {
        if (list is null)
        {
            w.Nil();
            return;
        }
        w.Open();
        foreach (var a in list)
            w.Open().NString(a.Name).Sp().NString(a.Route).Sp().NString(a.Mailbox).Sp().NString(a.Host).Close();
        w.Close();
    }
}
