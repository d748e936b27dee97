using System.Collections.Concurrent;

namespace Estafeta.Mail.Pop3;

/// <summary>One POP3 session at a time per maildrop (RFC 1939 §8): an exclusive lock per account,
/// held by this process (one `serve` runs the POP3 listeners).</summary>
public sealed class MaildropLocks
{
    private readonly ConcurrentDictionary<long, byte> _held = new();

    public bool TryTake(long accountId) => _held.TryAdd(accountId, 0);

    public void Release(long accountId) => _held.TryRemove(accountId, out _);
}
