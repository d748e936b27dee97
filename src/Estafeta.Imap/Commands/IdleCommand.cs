using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Net;

namespace Estafeta.Imap.Commands;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): "+ idling", then every change of the selected mailbox is sent as it
/// happens — driven by the store's change feed, not by polling — until the client sends DONE. The autologout
/// timer and a server stop end it with "* BYE".
/// </summary>
internal static class IdleCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(Completion.Bad(error), state);
        var view = (state as SelectedState)?.Mailbox;
        var w = context.Writer;
        if (view is not null) await view.SyncAsync(context, allowExpunges: true, ct).ConfigureAwait(false);
        w.Raw("+ idling\r\n");
        await w.FlushAsync(ct).ConfigureAwait(false);

        var stopping = Shutdown(context);
        using var timer = new CancellationTokenSource(context.Options.IdleTimeout, context.Clock);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping, timer.Token);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(reading.Token);
        var line = LineReader.ReadLineAsync(context.Input, context.Options.MaxLineLength, reading.Token).AsTask();
        try
        {
            while (true)
            {
                var change = view is null
                    ? Task.Delay(Timeout.Infinite, watching.Token)
                    : view.Store.WaitForChangeAsync(view.KnownModSeq, watching.Token);
                var first = await Task.WhenAny(line, change).ConfigureAwait(false);
                if (first == line) break;
                if (change.IsCanceled || change.IsFaulted) break;
                await view!.SyncAsync(context, allowExpunges: true, ct).ConfigureAwait(false);
                await w.FlushAsync(ct).ConfigureAwait(false);
            }
            await watching.CancelAsync().ConfigureAwait(false);
            var done = await line.ConfigureAwait(false);
            return done.Status switch
            {
                LineStatus.Ok when done.Bytes.AsSpan().SequenceEqual("DONE"u8) || System.Text.Ascii.EqualsIgnoreCase(done.Bytes, "DONE"u8)
                    => new(Completion.Ok("IDLE terminated"), state),
                LineStatus.Closed => new(Completion.None, state, SessionAction.Close),
                _ => new(Completion.Bad("Expected DONE"), state),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            w.Raw(stopping.IsCancellationRequested ? "* BYE [UNAVAILABLE] Server shutting down\r\n" : "* BYE Autologout; idle for too long\r\n");
            return new(Completion.None, state, SessionAction.Close);
        }
    }

    private static CancellationToken Shutdown(SessionContext context) => context.Stopping;
}
