using System.Globalization;
using System.Text;
using Estafeta.Smtp;

namespace Estafeta.Mail.Inbound;

/// <summary>The trace fields a receiving server adds at the top of a message (RFC 5321 §4.4):
/// Return-Path with the envelope sender, and a Received field naming the client, this server, the
/// protocol (RFC 3848 / RFC 6531 "with" types), the TLS used, the queue id and the time.</summary>
public static class TraceHeaders
{
    public static string ReturnPath(ReversePath from) => $"Return-Path: <{from.Address}>\r\n";

    public static string Received(SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients, string hostName, string queueId, DateTimeOffset now)
    {
        var b = new StringBuilder(256);
        var remote = session.Remote.Address.IsIPv4MappedToIPv6 ? session.Remote.Address.MapToIPv4() : session.Remote.Address;
        var literal = remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"IPv6:{remote}" : remote.ToString();
        b.Append("Received: from ").Append(Sanitize(session.HeloName ?? "unknown")).Append(" ([").Append(literal).Append("])\r\n");
        b.Append("\tby ").Append(hostName).Append(" (Estafeta) with ").Append(WithProtocol(session, from));
        if (session.Tls is { } tls) b.Append("\r\n\t(using ").Append(tls.Protocol).Append(" with cipher ").Append(tls.CipherSuite).Append(')');
        b.Append("\r\n\tid ").Append(queueId);
        if (recipients.Count == 1) b.Append("\r\n\tfor <").Append(recipients[0].Address).Append('>');
        b.Append("; ").Append(now.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        return b.ToString();
    }

    /// <summary>RFC 3848 and RFC 6531 §4.3 transmission types.</summary>
    public static string WithProtocol(SmtpSessionInfo session, ReversePath from)
    {
        if (!session.Esmtp) return "SMTP";
        var name = from.SmtpUtf8 ? "UTF8SMTP" : "ESMTP";
        if (session.Tls is not null) name += "S";
        if (session.Principal is not null) name += "A";
        return name;
    }

    /// <summary>A HELO name goes into a header: keep printable characters only.</summary>
    private static string Sanitize(string helo)
    {
        var b = new StringBuilder(Math.Min(helo.Length, 255));
        foreach (var c in helo.AsSpan(0, Math.Min(helo.Length, 255)))
            if (c > ' ' && c != '(' && c != ')' && c != '\\' && c != 0x7f) b.Append(c);
        return b.Length == 0 ? "unknown" : b.ToString();
    }
}
