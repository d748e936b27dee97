using Estafeta.Smtp;

namespace Estafeta.Mail.Smtp;

/// <summary>Receives the messages of one kind of SMTP listener (MX or submission) and hands each to a
/// <see cref="ReceivedMessage"/>, which stores it.</summary>
public sealed class MessageSink(SmtpMode mode, MailEngine engine) : IMessageSink
{
    public ValueTask<IMessageWriter> BeginAsync(SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients, CancellationToken ct) =>
        ValueTask.FromResult<IMessageWriter>(new ReceivedMessage(mode, engine, session, from, recipients));
}
