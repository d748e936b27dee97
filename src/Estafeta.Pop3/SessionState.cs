using System.Collections.Immutable;
using static System.FormattableString;

namespace Estafeta.Pop3;

/// <summary>The three states of RFC 1939 §3. Each state record carries its own fields.</summary>
internal enum Pop3Phase { Authorization, Transaction, Update }

internal abstract record SessionState(Pop3Phase Phase);

/// <summary>Before login. <paramref name="PendingUser"/> is the name given by USER, waiting for PASS;
/// <paramref name="AwaitingPlainResponse"/> means the next line is the client's SASL PLAIN response.</summary>
internal sealed record AuthorizationState(string? PendingUser = null, bool AwaitingPlainResponse = false)
    : SessionState(Pop3Phase.Authorization);

/// <summary>Logged in with the maildrop locked. <paramref name="Deleted"/> holds the message numbers
/// marked by DELE; nothing is removed before QUIT.</summary>
internal sealed record TransactionState(Pop3Principal Principal, IMaildrop Maildrop, ImmutableHashSet<int> Deleted)
    : SessionState(Pop3Phase.Transaction)
{
    public TransactionState(Pop3Principal principal, IMaildrop maildrop) : this(principal, maildrop, []) { }

    public IReadOnlyList<MaildropMessage> Messages => Maildrop.Messages;

    /// <summary>The messages not marked as deleted, with their numbers.</summary>
    public IEnumerable<(int Number, MaildropMessage Message)> Remaining()
    {
        for (var i = 0; i < Messages.Count; i++)
            if (!Deleted.Contains(i + 1)) yield return (i + 1, Messages[i]);
    }

    /// <summary>How many messages are not marked as deleted, and their size in octets.</summary>
    public (int Count, long Octets) Totals()
    {
        int count = 0;
        long octets = 0;
        foreach (var (_, message) in Remaining()) { count++; octets += message.Size; }
        return (count, octets);
    }

    /// <summary>Looks up a message argument: a number, in range, not marked as deleted.</summary>
    public bool TryFind(string argument, out int number, out MaildropMessage message, out Pop3Reply error)
    {
        message = null!;
        error = null!;
        if (!MessageNumbers.TryParse(argument, out number))
        {
            error = Pop3Reply.Err("Invalid message number");
            return false;
        }
        if (number < 1 || number > Messages.Count)
        {
            error = Pop3Reply.Err("No such message");
            return false;
        }
        if (Deleted.Contains(number))
        {
            error = Pop3Reply.Err(Invariant($"Message {number} already deleted"));
            return false;
        }
        message = Messages[number - 1];
        return true;
    }
}

/// <summary>After QUIT from the TRANSACTION state: the deletions are committed and the session ends.</summary>
internal sealed record UpdateState(Pop3Principal Principal, IMaildrop Maildrop) : SessionState(Pop3Phase.Update);
