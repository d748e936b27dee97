using System.IO.Pipelines;

namespace Estafeta.Net;

/// <summary>
/// The input of a connection: <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/>'s reader, with
/// one difference. A read result says <see cref="ReadResult.IsCanceled"/> only after <see cref="CancelPendingRead"/>;
/// a read whose token is cancelled throws <see cref="OperationCanceledException"/>; and a cancellation that arrived
/// while an earlier read was finishing no longer cancels a later read.
/// <para>
/// The stream reader links the caller's token to a token of its own for the stream read. A cancellation that
/// arrives after the stream read returned and before the read completes (an idle timer firing just as a command
/// arrives) stays latched in that token, and the next read, whatever its own token, returns at once with
/// IsCanceled set. The protocol readers take IsCanceled as the client closing, so the session ended silently
/// after a command it had read in full. Here such a result is handed back to the stream reader unconsumed
/// and the read is made again.
/// </para>
/// <para>
/// Reads stay on demand: nothing is read from the stream unless a read waits for it. STARTTLS depends on that:
/// what the client sends after the command must reach the handshake, not a read-ahead buffer of this reader.
/// </para>
/// </summary>
public sealed class StreamReceiver : PipeReader
{
    private readonly PipeReader _inner;
    private int _cancelRequested;

    public StreamReceiver(Stream stream, StreamPipeReaderOptions? options = null)
    {
        _inner = Create(stream, options);
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException) when (cancellationToken.IsCancellationRequested)
            {
                // A stream read cancelled inside SslStream may surface as an IOException: report it as the cancellation it is.
                throw new OperationCanceledException(cancellationToken);
            }
            if (!result.IsCanceled || Interlocked.Exchange(ref _cancelRequested, 0) == 1) return result;
            _inner.AdvanceTo(result.Buffer.Start); // give it back unconsumed and unexamined: the next read returns it again
            cancellationToken.ThrowIfCancellationRequested();
            // A latched cancellation from an earlier read's token: read again.
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_inner.TryRead(out result)) return false;
        if (!result.IsCanceled || Interlocked.Exchange(ref _cancelRequested, 0) == 1) return true;
        // A latched cancellation: TryRead has cleared it. Report what is buffered as an ordinary result.
        if (result.Buffer.IsEmpty && !result.IsCompleted)
        {
            _inner.AdvanceTo(result.Buffer.Start);
            return false;
        }
        result = new ReadResult(result.Buffer, isCanceled: false, result.IsCompleted);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => _inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        _inner.CancelPendingRead();
    }

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}
