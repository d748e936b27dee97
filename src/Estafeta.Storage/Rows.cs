namespace Estafeta.Storage;

/// <summary>Column-shaped rows that Dapper fills; the stores turn them into the public records.</summary>
internal static class Rows
{
    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    internal sealed class DomainRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string? CatchAll { get; set; }
        public long CreatedAt { get; set; }

        public Domain ToDomain() => new(Id, Name, CatchAll, Time(CreatedAt));
    }

    internal sealed class AccountRow
    {
        public long Id { get; set; }
        public long DomainId { get; set; }
        public string Address { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public long QuotaBytes { get; set; }
        public long UsedBytes { get; set; }
        public long CreatedAt { get; set; }

        public Account ToAccount() => new(Id, DomainId, Address, QuotaBytes, UsedBytes, Time(CreatedAt));
    }

    internal sealed class AliasRow
    {
        public string Address { get; set; } = "";
        public string Target { get; set; } = "";
        public long CreatedAt { get; set; }

        public Alias ToAlias() => new(Address, Target, Time(CreatedAt));
    }

    internal sealed class MailboxRow
    {
        public long Id { get; set; }
        public long AccountId { get; set; }
        public string Name { get; set; } = "";
        public string? SpecialUse { get; set; }
        public long UidValidity { get; set; }
        public long UidNext { get; set; }
        public long HighestModSeq { get; set; }
        public long Subscribed { get; set; }
        public long MessageCount { get; set; }
        public long UnseenCount { get; set; }
        public long DeletedCount { get; set; }
        public long TotalBytes { get; set; }
        public long RecentCount { get; set; }

        public Mailbox ToMailbox() => new(
            Id, AccountId, Name, SpecialUse, UidValidity, UidNext, HighestModSeq, Subscribed != 0, MessageCount, UnseenCount, TotalBytes, DeletedCount,
            RecentCount);

        public MailboxInfo ToInfo() => new(Id, AccountId, Name, SpecialUse, UidValidity, UidNext, HighestModSeq, Subscribed != 0);
    }

    internal sealed class MessageRow
    {
        public long Id { get; set; }
        public long MailboxId { get; set; }
        public long Uid { get; set; }
        public long ModSeq { get; set; }
        public string BlobHash { get; set; } = "";
        public long Size { get; set; }
        public long InternalDate { get; set; }
        public long Flags { get; set; }
        public string Keywords { get; set; } = "";

        public MessageSummary ToSummary() => new(
            Id, MailboxId, Uid, ModSeq, BlobHash, Size, Time(InternalDate), (MessageFlags)Flags, SplitKeywords(Keywords));
    }

    internal sealed class EnvelopeRow
    {
        public long Id { get; set; }
        public long Uid { get; set; }
        public string? EnvDate { get; set; }
        public string? EnvSubject { get; set; }
        public string? EnvFrom { get; set; }
        public string? EnvSender { get; set; }
        public string? EnvReplyTo { get; set; }
        public string? EnvTo { get; set; }
        public string? EnvCc { get; set; }
        public string? EnvBcc { get; set; }
        public string? EnvInReplyTo { get; set; }
        public string? EnvMessageId { get; set; }

        public MessageEnvelope ToEnvelope() => new(
            EnvDate, EnvSubject, EnvFrom, EnvSender, EnvReplyTo, EnvTo, EnvCc, EnvBcc, EnvInReplyTo, EnvMessageId);
    }

    public static IReadOnlyList<string> SplitKeywords(string keywords) =>
        keywords.Length == 0 ? [] : keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string JoinKeywords(IEnumerable<string>? keywords) =>
        keywords is null ? "" : string.Join(' ', keywords.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal));
}
