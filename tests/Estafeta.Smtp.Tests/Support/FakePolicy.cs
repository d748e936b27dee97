using System.Collections.Concurrent;

namespace Estafeta.Smtp.Tests.Support;

/// <summary>
/// An in-memory policy. Logins: <see cref="Users"/>. Senders whose local part is "blocked" get 550 5.7.1;
/// recipients whose local part starts with "unknown" get 550 5.1.1, "busy" 421 4.7.0, and "broken" makes
/// the check throw.
/// </summary>
public sealed class FakePolicy : ISmtpPolicy
{
    private int _authenticateCalls;

    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal) { ["alice@example.test"] = "s3cret-pässword" };
    public ConcurrentQueue<ReversePath> Senders { get; } = new();
    public ConcurrentQueue<ForwardPath> Recipients { get; } = new();
    public ConcurrentQueue<SmtpSessionInfo> Sessions { get; } = new();
    public int AuthenticateCalls => Volatile.Read(ref _authenticateCalls);

    /// <summary>Runs before each recipient check (tests use it to hold the session at a known point).</summary>
    public Func<ForwardPath, CancellationToken, Task>? BeforeRecipient { get; set; }

    public ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct)
    {
        Interlocked.Increment(ref _authenticateCalls);
        var ok = Users.TryGetValue(login, out var expected) && expected == password;
        return ValueTask.FromResult(ok ? new SmtpPrincipal(42, login) : null);
    }

    public ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct)
    {
        Sessions.Enqueue(session);
        Senders.Enqueue(from);
        return ValueTask.FromResult(from.Address.StartsWith("blocked@", StringComparison.Ordinal)
            ? new SmtpReply(550, "5.7.1", "Sender blocked")
            : SmtpReplies.SenderOk);
    }

    public async ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct)
    {
        if (BeforeRecipient is { } hook) await hook(to, ct);
        if (to.Address.StartsWith("broken", StringComparison.Ordinal)) throw new InvalidOperationException("The directory is down.");
        if (to.Address.StartsWith("unknown", StringComparison.Ordinal)) return SmtpReplies.UnknownUser(to.Address);
        if (to.Address.StartsWith("busy", StringComparison.Ordinal)) return new SmtpReply(421, "4.7.0", "Too busy, closing connection");
        Recipients.Enqueue(to);
        return SmtpReplies.RecipientOk;
    }
}
