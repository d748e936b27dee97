using System.Net;
using Estafeta.Mail.Outbound.MtaSts;

namespace Estafeta.Mail.Outbound;

/// <summary>How to reach a destination: the hosts in order (or why there are none), the TLS required, the login
/// for a smart host, and the MTA-STS policy that applied (for TLS reports).</summary>
internal sealed record DeliveryPlan(MxLookup Lookup, TlsRequirement Tls, NetworkCredential? Auth, MtaStsPolicy? Sts, string? StsFetchFailure, string? PolicyDomain);
