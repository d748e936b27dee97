using Estafeta.Net;

namespace Estafeta.Smtp;

/// <summary>One message being received. Disposing without <see cref="CommitAsync"/> discards it
/// (the client hung up, the message was too large, or the transfer timed out).</summary>
public interface IMessageWriter : IAsyncDisposable
{
    Stream Content { get; }

    /// <summary>Called after the terminating CRLF.CRLF: make the message durable and answer. The engine
    /// sends this reply to the client, e.g. 250 2.0.0 Ok: queued as X, or 550/452/554.</summary>
    ValueTask<SmtpReply> CommitAsync(DotStreamResult body, CancellationToken ct);
}
