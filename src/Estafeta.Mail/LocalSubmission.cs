namespace Estafeta.Mail;

/// <summary>
/// A message the platform itself sends (a confirmation email, a DSN, a DMARC report, a campaign
/// message): the envelope and the complete RFC 5322 content with CRLF line ends. Local recipients get
/// it in their INBOX; others go to the outbound queue.
/// </summary>
public sealed record LocalSubmission(
    string EnvelopeSender,
    IReadOnlyList<string> Recipients,
    ReadOnlyMemory<byte> Content,
    long? AccountId = null,
    string? DsnRet = null,
    string? DsnEnvId = null);

/// <summary>What <see cref="MailEngine.SubmitAsync"/> did: the message file, how many local copies, and the queue entry.</summary>
public sealed record SubmissionReceipt(string QueueId, string BlobHash, int LocalCopies, long? OutboundQueueId, IReadOnlyList<string> RefusedRecipients);
