using Estafeta.Mail.Inbound;
using Estafeta.MailAuth.Dns;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>The inbound checks the MX runs, in order: mail authentication (SPF, DKIM, ARC, DMARC), then the
/// header and content rules of the spam score.</summary>
public static class InboundAuthentication
{
    public static IReadOnlyList<IInboundCheck> Checks(Database db, IDnsResolver dns, MailEngineOptions options, TimeProvider clock, ILoggerFactory logging)
    {
        var log = logging.CreateLogger("Estafeta.Mail.Authentication");
        return
        [
            new AuthenticationCheck(options.HostName, dns, new DmarcOutcomeRecorder(db, clock, log), options.JunkThreshold, clock),
            new SpamScoreCheck(db, clock),
        ];
    }
}
