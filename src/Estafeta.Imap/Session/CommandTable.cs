using System.Collections.Frozen;
using Estafeta.Imap.Commands;

namespace Estafeta.Imap.Session;

internal delegate ValueTask<Outcome> CommandHandler(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct);

/// <summary>What the session tells the client about the selected mailbox after a command (RFC 9051 §7.5.1):
/// nothing, everything but expunges (FETCH, STORE, SEARCH and the like use sequence numbers), or everything.</summary>
internal enum SyncPolicy { None, NoExpunges, Full }

/// <summary>A command, the states it is allowed in, whether it has a UID form, and what runs it.</summary>
internal sealed record CommandSpec(string Name, FrozenSet<ImapPhase> AllowedIn, CommandHandler Handler, SyncPolicy Sync = SyncPolicy.Full, bool UidVariant = false);

/// <summary>The allowed-commands table.</summary>
internal static class CommandTable
{
    private static readonly FrozenDictionary<string, CommandSpec> Commands = new CommandSpec[]
    {
        new("CAPABILITY", Phases.Any, CapabilityCommand.ExecuteAsync),
        new("NOOP", Phases.Any, NoopCommand.ExecuteAsync),
        new("CHECK", Phases.Selected, NoopCommand.ExecuteAsync),
        new("LOGOUT", Phases.Any, LogoutCommand.ExecuteAsync, SyncPolicy.None),
        new("ID", Phases.Any, IdCommand.ExecuteAsync),
        new("STARTTLS", Phases.NotAuthenticated, StartTlsCommand.ExecuteAsync),
        new("LOGIN", Phases.NotAuthenticated, LoginCommand.ExecuteAsync),
        new("AUTHENTICATE", Phases.NotAuthenticated, AuthenticateCommand.ExecuteAsync),
        new("ENABLE", Phases.Authenticated, EnableCommand.ExecuteAsync),
        new("NAMESPACE", Phases.Authenticated, NamespaceCommand.ExecuteAsync),
        new("SELECT", Phases.Authenticated, SelectCommand.ExecuteAsync, SyncPolicy.None),
        new("EXAMINE", Phases.Authenticated, SelectCommand.ExecuteAsync, SyncPolicy.None),
        new("CREATE", Phases.Authenticated, CreateCommand.ExecuteAsync),
        new("DELETE", Phases.Authenticated, DeleteCommand.ExecuteAsync),
        new("RENAME", Phases.Authenticated, RenameCommand.ExecuteAsync),
        new("SUBSCRIBE", Phases.Authenticated, SubscribeCommand.ExecuteAsync),
        new("UNSUBSCRIBE", Phases.Authenticated, SubscribeCommand.ExecuteAsync),
        new("LIST", Phases.Authenticated, ListCommand.ExecuteAsync),
        new("LSUB", Phases.Authenticated, LsubCommand.ExecuteAsync),
        new("STATUS", Phases.Authenticated, StatusCommand.ExecuteAsync),
        new("APPEND", Phases.Authenticated, AppendCommand.ExecuteAsync),
        new("GETQUOTA", Phases.Authenticated, GetQuotaCommand.ExecuteAsync),
        new("GETQUOTAROOT", Phases.Authenticated, GetQuotaRootCommand.ExecuteAsync),
        new("SETQUOTA", Phases.Authenticated, SetQuotaCommand.ExecuteAsync),
        new("IDLE", Phases.Authenticated, IdleCommand.ExecuteAsync),
        new("CLOSE", Phases.Selected, CloseCommand.ExecuteAsync, SyncPolicy.None),
        new("UNSELECT", Phases.Selected, UnselectCommand.ExecuteAsync, SyncPolicy.None),
        new("EXPUNGE", Phases.Selected, ExpungeCommand.ExecuteAsync, SyncPolicy.Full, UidVariant: true),
        new("FETCH", Phases.Selected, FetchCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
        new("STORE", Phases.Selected, StoreCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
        new("SEARCH", Phases.Selected, SearchCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
        new("SORT", Phases.Selected, SortCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
        new("COPY", Phases.Selected, CopyCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
        new("MOVE", Phases.Selected, MoveCommand.ExecuteAsync, SyncPolicy.NoExpunges, UidVariant: true),
    }.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The command with this upper-case name, or null when the server does not know it.</summary>
    public static CommandSpec? Find(string name) => Commands.GetValueOrDefault(name);
}
