namespace Estafeta.Smtp.Session;

/// <summary>A token that fires after <c>timeout</c> on the session's clock, or when any of the given tokens does.</summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public Deadline(TimeProvider clock, TimeSpan timeout, CancellationToken first, CancellationToken second = default)
    {
        _timer = new CancellationTokenSource(timeout, clock);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, first, second);
    }

    public CancellationToken Token => _linked.Token;

    public bool Expired => _timer.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
