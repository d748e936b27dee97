using System.Net;

namespace Estafeta.MailAuth.Spf;

/// <summary>What is checked: the client address, the identity and the SMTP values it comes from.</summary>
public sealed record SpfRequest(IPAddress ClientAddress, SpfIdentity Identity, string MailFrom, string Helo)
{
    /// <summary>The MAIL FROM identity; an empty <paramref name="mailFrom"/> checks postmaster@<paramref name="helo"/>.</summary>
    public static SpfRequest ForMailFrom(IPAddress clientAddress, string mailFrom, string helo) =>
        new(clientAddress, SpfIdentity.MailFrom, mailFrom, helo);

    /// <summary>The HELO identity.</summary>
    public static SpfRequest ForHelo(IPAddress clientAddress, string helo) =>
        new(clientAddress, SpfIdentity.Helo, string.Empty, helo);
}
