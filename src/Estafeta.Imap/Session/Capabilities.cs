using System.Globalization;

namespace Estafeta.Imap.Session;

/// <summary>The CAPABILITY list, which depends on TLS and on login (RFC 9051 §6.1.1).</summary>
internal static class Capabilities
{
    private const string Common = "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE";

    private const string AfterLogin =
        " NAMESPACE UNSELECT UIDPLUS MOVE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE" +
        " CONDSTORE QRESYNC ESEARCH SEARCHRES SORT QUOTA QUOTA=RES-STORAGE BINARY UTF8=ACCEPT STATUS=SIZE";

    public static string For(SessionContext context, SessionState state)
    {
        if (state.Phase is ImapPhase.Authenticated or ImapPhase.Selected)
            return Common + AfterLogin + " APPENDLIMIT=" + context.Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture);
        var text = Common;
        if (context.CanStartTls) text += " STARTTLS";
        text += context.PlaintextAuthAllowed ? " AUTH=PLAIN" : " LOGINDISABLED";
        return text;
    }
}
