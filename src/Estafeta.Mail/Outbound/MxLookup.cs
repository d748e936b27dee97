namespace Estafeta.Mail.Outbound;

public enum MxLookupOutcome
{
    /// <summary><see cref="MxLookup.Hosts"/> holds the addresses to try, in order.</summary>
    Hosts,

    /// <summary>The domain says it takes no mail (null MX, RFC 7505), or it does not exist: bounce at once.</summary>
    NoMail,

    /// <summary>DNS failed for now (SERVFAIL, timeout), or no MX host had an address yet: try again later.</summary>
    TemporaryFailure,
}

/// <summary>The result of resolving a destination's mail hosts, with the reason when there are none.</summary>
public sealed record MxLookup(MxLookupOutcome Outcome, IReadOnlyList<DeliveryHost> Hosts, SmtpAnswer? Problem)
{
    public static MxLookup NoMail(string status, string text) => new(MxLookupOutcome.NoMail, [], SmtpAnswer.Permanent(status, text));
    public static MxLookup Later(string text) => new(MxLookupOutcome.TemporaryFailure, [], SmtpAnswer.Temporary("4.4.3", text));
}
