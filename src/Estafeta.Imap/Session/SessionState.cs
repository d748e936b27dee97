using System.Collections.Frozen;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Session;

/// <summary>The states of RFC 9051 §3. Each state record carries its own fields.</summary>
internal enum ImapPhase { NotAuthenticated, Authenticated, Selected, Logout }

internal abstract record SessionState(ImapPhase Phase);

internal sealed record NotAuthenticatedState() : SessionState(ImapPhase.NotAuthenticated);

/// <summary>Logged in: the user's store is open.</summary>
internal sealed record AuthenticatedState(ImapPrincipal Principal, IImapStore Store) : SessionState(ImapPhase.Authenticated);

/// <summary>A mailbox is selected; <paramref name="Mailbox"/> is the session's view of it.</summary>
internal sealed record SelectedState(ImapPrincipal Principal, IImapStore Store, SelectedMailbox Mailbox) : SessionState(ImapPhase.Selected)
{
    public AuthenticatedState Unselected() => new(Principal, Store);
}

/// <summary>After LOGOUT or BYE: the session ends.</summary>
internal sealed record LogoutState() : SessionState(ImapPhase.Logout);

internal static class Phases
{
    public static readonly FrozenSet<ImapPhase> Any = FrozenSet.Create(ImapPhase.NotAuthenticated, ImapPhase.Authenticated, ImapPhase.Selected);
    public static readonly FrozenSet<ImapPhase> NotAuthenticated = FrozenSet.Create(ImapPhase.NotAuthenticated);
    public static readonly FrozenSet<ImapPhase> Authenticated = FrozenSet.Create(ImapPhase.Authenticated, ImapPhase.Selected);
    public static readonly FrozenSet<ImapPhase> Selected = FrozenSet.Create(ImapPhase.Selected);
}
