namespace Estafeta.Smtp;

/// <summary>Where accepted messages go.</summary>
public interface IMessageSink
{
    /// <summary>Called at DATA once the engine has decided to answer 354, before it does. The engine then
    /// streams the body (dot-unstuffed, line ends as CRLF) into <see cref="IMessageWriter.Content"/>.
    /// A sink that adds trace fields (Return-Path, Received) writes them itself. When this throws,
    /// the client gets 451 4.3.0 instead of 354.</summary>
    ValueTask<IMessageWriter> BeginAsync(SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients, CancellationToken ct);
}
