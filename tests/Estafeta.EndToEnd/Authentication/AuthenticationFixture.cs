using System.Globalization;
using System.Net;
using Estafeta.Hosting;
using Estafeta.Mail.Authentication;
using Estafeta.MailAuth.Dkim;
using Estafeta.Storage;
using Estafeta.Testing;
using Microsoft.Extensions.Logging;

namespace Estafeta.EndToEnd.Authentication;

/// <summary>
/// Estafeta started in-process with --dns pointing at a real DNS server on loopback. The zone holds the
/// records `domain records` lists for ejemplo.test (sending address 127.0.0.1), a sender remitente.test
/// (SPF for 127.0.0.1, a DKIM key, DMARC p=reject), otro.test (SPF only), cuarentena.test (DMARC
/// p=quarantine) and, for the local domain roto.test, a broken set (MX elsewhere, no DMARC).
/// </summary>
public sealed class AuthenticationFixture : IAsyncLifetime
{
    public const string SenderSelector = "sel2026";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "estafeta-e2e-auth-" + Guid.NewGuid().ToString("N"));
    public DnsZone Zone { get; } = new();
    public LoopbackDnsServer Dns { get; private set; } = null!;
    public EstafetaHost Host { get; private set; } = null!;
    public DkimPrivateKey SenderKey { get; } = DkimPrivateKey.GenerateEd25519();
    public IPEndPoint Smtp => Host.Endpoints["smtp"];
    public IPEndPoint Submission => Host.Endpoints["submission"];
    public IPEndPoint Pop3 => Host.Endpoints["pop3"];
    public string DnsOption => string.Create(CultureInfo.InvariantCulture, $"{Dns.EndPoint.Address}:{Dns.EndPoint.Port}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Dns = await LoopbackDnsServer.StartAsync(Zone);
        Host = await EstafetaHost.StartAsync(ServerFixture.Settings(DataDirectory, new() { ["dns"] = DnsOption }), LoggerFactory.Create(_ => { }));
        var db = Host.Database;
        await ServerFixture.SeedAsync(db);
        await new AliasStore(db).AddAsync("reenvio@ejemplo.test", "destino@remoto.test");
        await new DomainStore(db).AddAsync("roto.test");
        var keys = new DkimKeyStore(db, TimeProvider.System);
        await keys.CreateInitialKeysAsync("ejemplo.test");
        await keys.CreateInitialKeysAsync("roto.test");
        var domains = new DomainAuthentication(db, keys, Dns.CreateResolver(), "mx.ejemplo.test", TimeProvider.System);
        await domains.SetSendingAddressesAsync("ejemplo.test", [IPAddress.Loopback]);
        foreach (var record in (await domains.RecordsAsync("ejemplo.test")).Records)
        {
            if (record.Type == "MX") Zone.AddMx(record.Name, 10, "mx.ejemplo.test");
            else Zone.AddTxt(record.Name, [.. record.Strings]);
        }
        Zone.AddA("mx.ejemplo.test", "127.0.0.1")
            .AddTxt("remitente.test", "v=spf1 ip4:127.0.0.1 -all")
            .AddTxt(DkimDnsRecord.Name(SenderSelector, "remitente.test"), [.. SenderKey.DnsTxtStrings])
            .AddTxt("_dmarc.remitente.test", "v=DMARC1; p=reject; rua=mailto:dmarc@remitente.test")
            .AddTxt("otro.test", "v=spf1 ip4:127.0.0.1 -all")
            .AddTxt("_dmarc.cuarentena.test", "v=DMARC1; p=quarantine")
            // Reports asked for at an address of this server that has no mailbox (authorised for the other domain).
            .AddTxt("sinbuzon.test", "v=spf1 ip4:127.0.0.1 -all")
            .AddTxt("_dmarc.sinbuzon.test", "v=DMARC1; p=none; rua=mailto:nadie@ejemplo.test")
            .AddTxt("sinbuzon.test._report._dmarc.ejemplo.test", "v=DMARC1")
            .AddMx("roto.test", 10, "mail.proveedor.test")
            .AddTxt("roto.test", "v=spf1 ip4:198.51.100.1 -all");
    }

    /// <summary>The message with a DKIM signature of remitente.test added on top.</summary>
    public MimeKit.MimeMessage Signed(MimeKit.MimeMessage message)
    {
        new DkimSigner(new DkimSigningKey("remitente.test", SenderSelector, SenderKey)).AddSignatures(message);
        return message;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Dns.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
