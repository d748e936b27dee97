using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Header field names most messages have, as software writes them (and in lower case, as h= lists them):
/// one shared string each instead of a new one per field of every message and per name of every signature.</summary>
internal static class FieldNames
{
    /// <summary>Indexed by length, so that a name is compared with the few of its length only.</summary>
    private static readonly string[][] Common = ByLength(
    [
        "From", "To", "Subject", "Date", "Message-ID", "Message-Id", "MIME-Version", "Mime-Version", "Content-Type",
        "Content-Transfer-Encoding", "DKIM-Signature", "Received", "Return-Path", "Reply-To", "Cc", "List-Unsubscribe",
        "List-Unsubscribe-Post", "List-Id", "Feedback-ID", "Authentication-Results", "ARC-Seal", "ARC-Message-Signature",
        "ARC-Authentication-Results", "In-Reply-To", "References", "Sender", "X-Mailer", "Precedence", "Delivered-To",
        "Received-SPF", "X-Google-DKIM-Signature", "Content-Disposition", "Content-Language",
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "content-transfer-encoding",
        "reply-to", "cc", "in-reply-to", "references", "list-unsubscribe", "list-unsubscribe-post", "list-id",
        "sender", "feedback-id", "x-mailer", "content-disposition", "content-language",
    ]);

    /// <summary>The name's octets as a string (Latin-1), the shared one when it is a common name written as above.</summary>
    public static string Of(ReadOnlySpan<byte> name)
    {
        if (name.Length < Common.Length)
            foreach (var common in Common[name.Length])
                if (Ascii.Equals(name, common)) return common;
        return Encoding.Latin1.GetString(name);
    }

    private static string[][] ByLength(string[] names)
    {
        var table = new string[names.Max(name => name.Length) + 1][];
        for (var length = 0; length < table.Length; length++) table[length] = [.. names.Where(name => name.Length == length)];
        return table;
    }
}
