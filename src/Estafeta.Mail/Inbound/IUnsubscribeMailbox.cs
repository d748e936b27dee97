using Estafeta.Smtp;

namespace Estafeta.Mail.Inbound;

/// <summary>
/// Mail to the audience's unsubscribe addresses (<c>unsubscribe+TOKEN@domain</c>, the mailto of List-Unsubscribe),
/// recognised at the MX before recipient resolution. The audience side implements it; the host sets
/// <see cref="MailEngine.Unsubscribe"/>.
/// </summary>
public interface IUnsubscribeMailbox
{
    /// <summary>True when the address carries a valid unsubscribe token.</summary>
    bool Recognises(string address);

    /// <summary>Unsubscribes the person the address names; takes effect at once.</summary>
    Task ReceiveAsync(string address, string envelopeSender, CancellationToken ct);
}

public static class UnsubscribeMail
{
    /// <summary>Handles the recipients that are unsubscribe addresses; returns the others for normal routing.</summary>
    public static async Task<IReadOnlyList<ForwardPath>> ReceiveAsync(MailEngine engine, IReadOnlyList<ForwardPath> recipients, string envelopeSender, CancellationToken ct)
    {
        if (engine.Unsubscribe is not { } mailbox) return recipients;
        var rest = new List<ForwardPath>(recipients.Count);
        foreach (var rcpt in recipients)
        {
            if (mailbox.Recognises(rcpt.Address)) await mailbox.ReceiveAsync(rcpt.Address, envelopeSender, ct);
            else rest.Add(rcpt);
        }

        return rest;
    }
}
