namespace Estafeta.Net;

/// <summary>
/// The two stages of a graceful stop, shared by every connection of a listener.
/// <see cref="Stopping"/> fires first: sessions waiting for a command answer 421/-ERR/BYE at once,
/// and sessions in the middle of a transaction finish it. <see cref="Aborted"/> fires when the grace
/// period is over: every read is cancelled and the session closes.
/// </summary>
public sealed class ListenerShutdown : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborted = new();

    public CancellationToken Stopping => _stopping.Token;
    public CancellationToken Aborted => _aborted.Token;

    public void BeginStopping() => _stopping.Cancel();
    public void Abort() { _stopping.Cancel(); _aborted.Cancel(); }

    public void Dispose() { _stopping.Dispose(); _aborted.Dispose(); }
}
