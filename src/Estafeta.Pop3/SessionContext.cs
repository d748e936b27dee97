using System.Net;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Pop3;

/// <summary>What commands may consult besides the session state: settings, the store, the login
/// throttle, the clock, and facts about the connection.</summary>
internal sealed record SessionContext(
    Pop3ServerOptions Options,
    IPop3Backend Backend,
    LoginThrottle Throttle,
    TimeProvider Clock,
    ILogger Log,
    IPEndPoint Remote,
    bool IsSecure)
{
    /// <summary>USER/PASS and AUTH PLAIN send the password as it is: only over TLS unless allowed.</summary>
    public bool PlaintextAuthAllowed => IsSecure || Options.AllowPlaintextAuth;

    public bool CanStartTls => !IsSecure && Options.Certificate is not null;
}
