namespace Estafeta.Pop3;

/// <summary>An authenticated mailbox owner.</summary>
public sealed record Pop3Principal(long AccountId, string Login);

/// <summary>What the POP3 engine needs from the mail store. The mail engine implements it.</summary>
public interface IPop3Backend
{
    /// <summary>The principal for these credentials, or null when they are wrong.</summary>
    ValueTask<Pop3Principal?> AuthenticateAsync(string login, string password, CancellationToken ct);

    /// <summary>Locks the maildrop for this session (one session at a time per maildrop);
    /// null when another session holds the lock.</summary>
    ValueTask<IMaildrop?> OpenMaildropAsync(Pop3Principal principal, CancellationToken ct);
}
