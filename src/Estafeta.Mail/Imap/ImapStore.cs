using Estafeta.Imap.Store;
using Estafeta.Mail.Inbound;
using Estafeta.Storage;
using MessageFlags = Estafeta.Imap.Store.MessageFlags;

namespace Estafeta.Mail.Imap;

/// <summary>
/// One session's view of one account's mailboxes. Every name is looked up within <paramref name="accountId"/>,
/// so no name a client sends can reach another account's mailbox.
/// </summary>
public sealed class ImapStore(
    long accountId, MailboxChangeFeed changes, AccountStore accounts, MailStore mail, DeliveryWriter writer, BlobStore blobs, TimeProvider clock)
    : IImapStore
{
    public async ValueTask<IReadOnlyList<MailboxEntry>> ListMailboxesAsync(CancellationToken ct) =>
        [.. (await mail.ListMailboxInfosAsync(accountId, ct)).Select(m => new MailboxEntry(m.Name, m.SpecialUse, m.Subscribed))];

    public async ValueTask<StoreOutcome> CreateMailboxAsync(string name, string? specialUse, CancellationToken ct)
    {
        try
        {
            await mail.CreateMailboxAsync(accountId, name, specialUse, ct);
            return StoreOutcome.Ok;
        }
        catch (ConflictException)
        {
            return StoreOutcome.AlreadyExists;
        }
        catch (InvalidInputException)
        {
            return StoreOutcome.NotPermitted;
        }
    }

    public async ValueTask<StoreOutcome> DeleteMailboxAsync(string name, CancellationToken ct)
    {
        try
        {
            await mail.DeleteMailboxAsync(accountId, name, ct);
            return StoreOutcome.Ok;
        }
        catch (NotFoundException)
        {
            return StoreOutcome.NoSuchMailbox;
        }
        catch (Exception e) when (e is ConflictException or InvalidInputException)
        {
            return StoreOutcome.NotPermitted;
        }
    }

    public async ValueTask<StoreOutcome> RenameMailboxAsync(string from, string to, CancellationToken ct)
    {
        if (to.StartsWith(from + MailboxName.Separator, StringComparison.Ordinal)) return StoreOutcome.NotPermitted;
        try
        {
            await mail.RenameMailboxAsync(accountId, from, to, ct);
            return StoreOutcome.Ok;
        }
        catch (NotFoundException)
        {
            return StoreOutcome.NoSuchMailbox;
        }
        catch (ConflictException)
        {
            return StoreOutcome.AlreadyExists;
        }
        catch (InvalidInputException)
        {
            return StoreOutcome.NotPermitted;
        }
    }

    public async ValueTask<StoreOutcome> SetSubscribedAsync(string name, bool subscribed, CancellationToken ct)
    {
        try
        {
            await mail.SetSubscribedAsync(accountId, name, subscribed, ct);
            return StoreOutcome.Ok;
        }
        catch (Exception e) when (e is NotFoundException or InvalidInputException)
        {
            return StoreOutcome.NoSuchMailbox;
        }
    }

    public async ValueTask<MailboxStatus?> GetStatusAsync(string name, CancellationToken ct)
    {
        if (await FindAsync(() => mail.GetMailboxAsync(accountId, name, ct)) is not { } m) return null;
        return new MailboxStatus(m.MessageCount, m.UnseenCount, m.DeletedCount, m.UidNext, m.UidValidity, m.HighestModSeq, m.TotalBytes, m.RecentCount);
    }

    public async ValueTask<IImapMailbox?> OpenMailboxAsync(string name, CancellationToken ct)
    {
        if (await FindAsync(() => mail.GetMailboxInfoAsync(accountId, name, ct)) is not { } info) return null;
        // The watch starts before the snapshot the engine reads next, so no change after this read is missed.
        var watch = changes.Watch(info.Id);
        watch.Observe(info.HighestModSeq);
        return new ImapMailbox(mail, info.Key, info.Name, watch);
    }

    public async ValueTask<AppendResult> AppendAsync(
        string name, Stream content, long length, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken ct)
    {
        if (await FindAsync(() => mail.GetMailboxInfoAsync(accountId, name, ct)) is not { } mailbox) return new AppendResult(StoreOutcome.NoSuchMailbox);
        if (await accounts.GetByIdAsync(accountId, ct) is not { } account) return new AppendResult(StoreOutcome.NoSuchMailbox);
        if (!account.HasRoomFor(length)) return new AppendResult(StoreOutcome.OverQuota);

        BlobRef blob;
        await using (var file = blobs.Create())
        {
            await CopyExactlyAsync(content, file, length, ct);
            blob = await file.CommitAsync(ct);
        }

        MessageEnvelope envelope;
        await using (var stored = blobs.OpenRead(blob.Hash))
            envelope = EnvelopeReader.Envelope(EnvelopeReader.ReadHeaders(stored));
        try
        {
            var receipt = await writer.CommitAsync(new Delivery(
                blob, [DeliveryTarget.ById(accountId, mailbox.Id)], internalDate ?? clock.GetUtcNow(), envelope, flags.ToStored(), Keywords: keywords), ct);
            return new AppendResult(StoreOutcome.Ok, mailbox.UidValidity, receipt.Copies[0].Uid);
        }
        catch (NotFoundException)
        {
            return new AppendResult(StoreOutcome.NoSuchMailbox);
        }
    }

    public async ValueTask<QuotaUsage> GetQuotaAsync(CancellationToken ct)
    {
        var account = await accounts.GetByIdAsync(accountId, ct);
        return account is null ? new QuotaUsage(0, 0) : new QuotaUsage(account.UsedBytes, account.QuotaBytes == 0 ? null : account.QuotaBytes);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A mailbox by name, or null also when the name cannot be a stored mailbox name.</summary>
    private static async Task<T?> FindAsync<T>(Func<Task<T?>> find)
        where T : class
    {
        try
        {
            return await find();
        }
        catch (InvalidInputException)
        {
            return null;
        }
    }

    private static async Task CopyExactlyAsync(Stream source, Stream destination, long length, CancellationToken ct)
    {
        var buffer = new byte[(int)Math.Clamp(length, 1, 81920)];
        for (var left = length; left > 0;)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (read == 0) throw new EndOfStreamException($"the appended message ended {left} octets early");
            await destination.WriteAsync(buffer.AsMemory(0, read), ct);
            left -= read;
        }
    }
}
