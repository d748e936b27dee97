using System.Net;

namespace Estafeta.Hosting;

/// <summary>
/// What <c>serve</c> warns about at start when it listens beyond this machine (any listener on an address other than
/// loopback), where a development default would reach other people: a host name other servers cannot use
/// (<c>localhost</c>: the greeting outbound mail gives, the Received fields, and the sender of lists' confirmation mail,
/// <c>no-reply@localhost</c>, which receivers refuse) and links in mail built from the bound HTTP address rather than the
/// public URL people reach. On loopback only (the defaults) nothing is said.
/// </summary>
public static class StartupWarnings
{
    public static IReadOnlyList<string> For(BootSettings settings)
    {
        IPEndPoint?[] listeners = [settings.Http, settings.Smtp, settings.Submission, settings.Submissions, settings.Pop3, settings.Pop3s, settings.Imap, settings.Imaps];
        if (!listeners.Any(l => l is not null && !IPAddress.IsLoopback(l.Address))) return [];
        var warnings = new List<string>();
        // The test domain records and domain check use for the MX record's name.
        if (!Estafeta.Mail.Authentication.DomainRecords.IsPublicHostName(settings.HostName.TrimEnd('.')))
        {
            warnings.Add($"--hostname is '{settings.HostName}', which other mail servers cannot use: outbound mail greets with it and lists without "
                + $"a sender of their own send their confirmation mail from no-reply@{settings.HostName}. Set --hostname to this server's public name "
                + "(mx.ejemplo.es), the name its address resolves back to.");
        }

        if (settings.PublicUrl is null && settings.Http is { } http && !IPAddress.IsLoopback(http.Address))
        {
            warnings.Add($"--public-url is not set: links in mail (confirmation, unsubscribe, preferences) are built from the --http address ({http}), "
                + "which is not one people can be sent to. "
                + "Set --public-url to the address people reach this server at (https://correo.ejemplo.es).");
        }

        return warnings;
    }
}
