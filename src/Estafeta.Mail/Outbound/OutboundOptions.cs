namespace Estafeta.Mail.Outbound;

/// <summary>
/// Boot-time settings of the MTA (the product settings are in <see cref="DeliverySettings"/>, in the database).
/// <see cref="MxPort"/>: port on recipients' MX hosts (25; <c>serve --mx-port</c> for test labs).
/// <see cref="NodeName"/>: who holds the leases on messages in flight; one name per running node.
/// <see cref="MtaStsPolicyUri"/>: where an MTA-STS policy is fetched from. Null is the standard
/// <c>https://mta-sts.DOMAIN/.well-known/mta-sts.txt</c>; test labs set it explicitly (for instance to a plain HTTP
/// server on loopback). It is never set from outside the code.
/// </summary>
public sealed record OutboundOptions
{
    public int MxPort { get; init; } = 25;
    public string NodeName { get; init; } = Environment.MachineName;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(15);
    public int ClaimBatch { get; init; } = 500;
    public int MaxMessagesInFlight { get; init; } = 2000;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an open connection waits for the destination's next message before it is closed (like
    /// Postfix's connection cache): the next claimed batch reuses it instead of connecting again.</summary>
    public TimeSpan ConnectionIdle { get; init; } = TimeSpan.FromSeconds(2);
    public Func<string, Uri>? MtaStsPolicyUri { get; init; }
    public HttpMessageHandler? MtaStsHttpHandler { get; init; }
}
