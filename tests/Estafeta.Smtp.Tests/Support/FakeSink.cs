using System.Collections.Concurrent;
using Estafeta.Net;

namespace Estafeta.Smtp.Tests.Support;

public sealed record ReceivedMessage(SmtpSessionInfo Session, ReversePath From, IReadOnlyList<ForwardPath> Recipients, byte[] Content, DotStreamResult Body);

/// <summary>Keeps committed messages in memory and counts the discarded ones.</summary>
public sealed class FakeSink : IMessageSink
{
    private int _discarded;
    private int _begun;

    public ConcurrentQueue<ReceivedMessage> Committed { get; } = new();
    public int Discarded => Volatile.Read(ref _discarded);
    public int Begun => Volatile.Read(ref _begun);

    /// <summary>What CommitAsync answers.</summary>
    public SmtpReply CommitReply { get; set; } = SmtpReplies.Queued("QUEUED1");

    /// <summary>Completed when a CommitAsync call starts.</summary>
    public TaskCompletionSource CommitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, CommitAsync waits for it.</summary>
    public Task? CommitGate { get; set; }

    public ValueTask<IMessageWriter> BeginAsync(SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients, CancellationToken ct)
    {
        Interlocked.Increment(ref _begun);
        return ValueTask.FromResult<IMessageWriter>(new Writer(this, session, from, recipients));
    }

    public ReceivedMessage Single() => Assert.Single(Committed);

    private sealed class Writer(FakeSink sink, SmtpSessionInfo session, ReversePath from, IReadOnlyList<ForwardPath> recipients) : IMessageWriter
    {
        private readonly MemoryStream _content = new();
        private bool _committed;

        public Stream Content => _content;

        public async ValueTask<SmtpReply> CommitAsync(DotStreamResult body, CancellationToken ct)
        {
            sink.CommitStarted.TrySetResult();
            if (sink.CommitGate is { } gate) await gate.WaitAsync(ct);
            _committed = true;
            sink.Committed.Enqueue(new ReceivedMessage(session, from, recipients, _content.ToArray(), body));
            return sink.CommitReply;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed) Interlocked.Increment(ref sink._discarded);
            return ValueTask.CompletedTask;
        }
    }
}
