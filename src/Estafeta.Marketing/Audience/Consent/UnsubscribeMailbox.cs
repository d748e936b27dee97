using Estafeta.Mail.Inbound;

namespace Estafeta.Marketing.Audience;

/// <summary>The audience's side of the MX hook: <c>unsubscribe+TOKEN@domain</c> with a valid signed token unsubscribes at once.</summary>
public sealed class UnsubscribeMailbox(ConsentTokens tokens, ConsentFlows flows) : IUnsubscribeMailbox
{
    public bool Recognises(string address) =>
        AudienceLinks.TokenOfAddress(address) is { } token && tokens.Verify(token, TokenPurpose.Unsubscribe) is not null;

    public Task ReceiveAsync(string address, string envelopeSender, CancellationToken ct) =>
        flows.UnsubscribeByMailAsync(address, envelopeSender, ct);
}
