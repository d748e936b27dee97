namespace Estafeta.Pop3;

/// <summary>One message of a maildrop. <see cref="Size"/> is the stored size in octets (CRLF line ends);
/// <see cref="UniqueId"/> is 1 to 70 characters from 0x21 to 0x7E (RFC 1939 §7) and never reused.</summary>
public sealed record MaildropMessage(long Id, string UniqueId, long Size);

/// <summary>A locked maildrop. Disposing it releases the lock.</summary>
public interface IMaildrop : IAsyncDisposable
{
    /// <summary>The messages when the maildrop was opened, in order; POP3 numbers them 1..n.</summary>
    IReadOnlyList<MaildropMessage> Messages { get; }

    /// <summary>The exact stored bytes of a message, with CRLF line ends.</summary>
    ValueTask<Stream> OpenAsync(MaildropMessage message, CancellationToken ct);

    /// <summary>Removes the messages marked as deleted. Called only at QUIT, in the UPDATE state.</summary>
    ValueTask CommitDeletionsAsync(IReadOnlyList<MaildropMessage> deleted, CancellationToken ct);
}
