namespace Estafeta.Net;

/// <summary>Runs one protocol session on an accepted connection until it ends.</summary>
public interface IConnectionHandler
{
    /// <summary>Called when a connection is refused before a session starts (too many from one address):
    /// the protocol's one-line refusal, e.g. "421 4.7.0 Too many connections\r\n".</summary>
    ReadOnlyMemory<byte> TooManyConnectionsReply { get; }

    Task HandleAsync(Connection connection, CancellationToken aborted);
}
