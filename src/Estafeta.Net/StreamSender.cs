using System.IO.Pipelines;

namespace Estafeta.Net;

/// <summary>
/// The output of a connection: a <see cref="PipeWriter"/> whose bytes one loop writes to the transport
/// stream. A caller's cancellation token only ends the caller's wait (a flush stops waiting for the
/// client to take the bytes); it never cancels a write on the stream, so what was flushed is still sent
/// whole and in order, followed by whatever is written next.
/// <para>
/// This matters over TLS. SslStream encrypts a record, using up a sequence number, before the socket
/// send, and a socket send refuses a token that is already cancelled; a send cancelled half-way leaves
/// half a record on the wire. <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/>'s writer
/// passes the caller's token down to the stream, and a cancellation that arrives while its flush is
/// finishing stays latched in it and cancels the next flush's write instead: that record is encrypted,
/// not sent, reported as a cancelled flush, and sent again later under the next sequence number, so the
/// client fails to decrypt it (an idle autologout after the greeting, for one).
/// </para>
/// <para>
/// <see cref="FlushAsync"/> completes once every byte has been written to the stream, and throws what
/// writing failed with. <see cref="Complete"/> with an exception gives the connection up: what is still
/// buffered is dropped and a write still waiting for the client is cancelled (nothing is written after it).
/// </para>
/// </summary>
public sealed class StreamSender : PipeWriter
{
    // A flush waits until the loop has written everything (pause at 1 unsent byte, resume at 0). The loop
    // runs on the flushing thread when it can write at once; a flush that has to wait resumes on the pool.
    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: 1,
        resumeWriterThreshold: 1,
        minimumSegmentSize: 4096,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.ThreadPool,
        useSynchronizationContext: false);

    private readonly Pipe _pipe = new(Options);
    private readonly CancellationTokenSource _giveUp = new();
    private readonly Task _sending;
    private bool _completed;

    public StreamSender(Stream stream)
    {
        _sending = SendAsync(stream);
    }

    private async Task SendAsync(Stream stream)
    {
        var reader = _pipe.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    foreach (var segment in buffer)
                        await stream.WriteAsync(segment, _giveUp.Token).ConfigureAwait(false);
                    await stream.FlushAsync(_giveUp.Token).ConfigureAwait(false);
                }
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted) break;
            }
            await reader.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A flush waiting on the writer side gets this exception.
            await reader.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    public override void Advance(int bytes) => _pipe.Writer.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pipe.Writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pipe.Writer.GetSpan(sizeHint);

    public override bool CanGetUnflushedBytes => _pipe.Writer.CanGetUnflushedBytes;

    public override long UnflushedBytes => _pipe.Writer.UnflushedBytes;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        _pipe.Writer.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        _pipe.Writer.WriteAsync(source, cancellationToken);

    public override void CancelPendingFlush() => _pipe.Writer.CancelPendingFlush();

    /// <summary>Without an exception: sends what is buffered and ends the loop (see <see cref="CompleteAsync"/>
    /// to wait for it). With one: gives the connection up.</summary>
    public override void Complete(Exception? exception = null)
    {
        if (_completed) return;
        _completed = true;
        if (exception is not null) _giveUp.Cancel();
        _pipe.Writer.Complete(exception);
    }

    /// <summary>Completes (see <see cref="Complete"/>) and waits until the loop has stopped writing to the
    /// stream: after a normal completion, once everything buffered was written, throwing what writing failed
    /// with; after giving up, once the loop has let go of the stream.</summary>
    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        Complete(exception);
        try
        {
            await _sending.ConfigureAwait(false);
        }
        catch (Exception) when (_giveUp.IsCancellationRequested)
        {
            // Given up: how the loop ended no longer matters.
        }
    }
}
