using System.Net;
using Estafeta.Net;

namespace Estafeta.Smtp;

/// <summary>What the policy and the sink know about the client at the moment they are asked.
/// <see cref="HeloName"/> is the argument of the last HELO/EHLO (null before one); <see cref="Esmtp"/>
/// says it was EHLO.</summary>
public sealed record SmtpSessionInfo(
    string SessionId,
    SmtpMode Mode,
    IPEndPoint Remote,
    IPEndPoint Local,
    string? HeloName,
    bool Esmtp,
    TlsDetails? Tls,
    SmtpPrincipal? Principal);
