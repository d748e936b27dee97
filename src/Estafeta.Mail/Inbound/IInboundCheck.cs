using Estafeta.Smtp;

namespace Estafeta.Mail.Inbound;

/// <summary>
/// One judgement of a message arriving at the MX, made after DATA and before it is stored: the
/// place where mail authentication (SPF, DKIM, ARC, DMARC) and spam scoring plug in. Checks run in
/// order; each may add header fields (e.g. Authentication-Results), add to the spam score with its
/// reasons, or refuse the message.
/// </summary>
public interface IInboundCheck
{
    ValueTask<InboundVerdict> CheckAsync(InboundMessage message, CancellationToken ct);
}

/// <summary>What a check sees: the SMTP session and envelope, the parsed header, and the content.</summary>
public sealed record InboundMessage(SmtpSessionInfo Session, ReversePath From, IReadOnlyList<ForwardPath> Recipients, MimeKit.HeaderList Headers, Func<Stream> OpenContent);

public sealed record InboundVerdict(IReadOnlyList<string> HeaderFields, double Score, IReadOnlyList<string> Reasons, SmtpReply? Refusal = null)
{
    public static InboundVerdict Neutral { get; } = new([], 0, []);
}
