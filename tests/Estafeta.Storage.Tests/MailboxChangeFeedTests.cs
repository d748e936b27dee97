namespace Estafeta.Storage.Tests;

public sealed class MailboxChangeFeedTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Wait_completes_at_once_when_the_modseq_is_already_above_the_known_one()
    {
        var feed = new MailboxChangeFeed();
        using var watch = feed.Watch(7);
        feed.Publish(7, 12);

        await feed.WaitForChangeAsync(7, 11, CancellationToken.None).WaitAsync(Prompt);
        Assert.Equal(12, feed.Current(7));
    }

    [Fact]
    public async Task Publish_above_the_known_modseq_wakes_the_waiter_and_lower_values_are_ignored()
    {
        var feed = new MailboxChangeFeed();
        using var watch = feed.Watch(7);
        feed.Publish(7, 5);
        var waiting = feed.WaitForChangeAsync(7, 5, CancellationToken.None);

        feed.Publish(7, 4);
        feed.Publish(7, 5);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(5, feed.Current(7));

        feed.Publish(7, 6);
        await waiting.WaitAsync(Prompt);
        Assert.Equal(6, watch.Current);
    }

    [Fact]
    public async Task Changes_of_other_mailboxes_do_not_wake_a_waiter()
    {
        var feed = new MailboxChangeFeed();
        using var seven = feed.Watch(7);
        using var eight = feed.Watch(8);
        var waiting = feed.WaitForChangeAsync(7, 0, CancellationToken.None);

        feed.Publish(8, 3);

        Assert.False(waiting.IsCompleted);
        feed.Publish(7, 1);
        await waiting.WaitAsync(Prompt);
    }

    [Fact]
    public async Task Cancelled_wait_throws_operation_cancelled()
    {
        var feed = new MailboxChangeFeed();
        using var watch = feed.Watch(7);
        using var cancel = new CancellationTokenSource();
        var waiting = feed.WaitForChangeAsync(7, 0, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Prompt));
    }

    [Fact]
    public void Mailbox_nobody_watches_is_forgotten()
    {
        var feed = new MailboxChangeFeed();
        using (feed.Watch(7))
        {
            feed.Publish(7, 9);
            Assert.Equal(9, feed.Current(7));
        }

        feed.Publish(7, 10);
        Assert.Equal(0, feed.Current(7));
    }

    [Fact]
    public async Task Retired_mailbox_keeps_its_watchers_and_its_id_starts_afresh()
    {
        var feed = new MailboxChangeFeed();
        using var old = feed.Watch(7);
        feed.Publish(7, 40);
        var waiting = old.WaitForChangeAsync(40, CancellationToken.None);

        var retirement = feed.Retire(7);
        using var reused = feed.Watch(7);
        feed.Publish(7, 2);
        retirement.Complete(41);

        await waiting.WaitAsync(Prompt);
        Assert.Equal(41, old.Current);
        Assert.Equal(2, reused.Current);
        Assert.Equal(2, feed.Current(7));
    }

    [Fact]
    public async Task Waiter_racing_many_publishers_never_misses_a_wake_up()
    {
        var feed = new MailboxChangeFeed();
        using var watch = feed.Watch(7);
        const int Publishers = 4;
        const int Each = 2_000;
        var next = 0L;
        var publishers = Enumerable.Range(0, Publishers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < Each; i++)
            {
                feed.Publish(7, Interlocked.Increment(ref next));
            }
        })).ToList();

        var known = 0L;
        var waits = 0;
        while (known < Publishers * Each)
        {
            await feed.WaitForChangeAsync(7, known, CancellationToken.None).WaitAsync(Prompt);
            var current = feed.Current(7);
            Assert.True(current > known);
            known = current;
            waits++;
        }

        await Task.WhenAll(publishers);
        Assert.Equal(Publishers * Each, feed.Current(7));
        Assert.True(waits >= 1);
    }
}
