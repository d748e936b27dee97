using System.Collections.Frozen;
using Estafeta.Pop3.Commands;

namespace Estafeta.Pop3;

internal delegate ValueTask<Outcome> CommandHandler(SessionContext context, SessionState state, Pop3Command command, CancellationToken ct);

/// <summary>A command, the states it is allowed in, and what runs it.</summary>
internal sealed record CommandSpec(string Keyword, FrozenSet<Pop3Phase> AllowedIn, CommandHandler Handler);

/// <summary>The allowed-commands table (RFC 1939 §4-§6, RFC 2449, RFC 2595, RFC 5034).
/// Nothing is allowed in the UPDATE state: the session ends there.</summary>
internal static class CommandTable
{
    private static readonly FrozenSet<Pop3Phase> Authorization = FrozenSet.Create(Pop3Phase.Authorization);
    private static readonly FrozenSet<Pop3Phase> Transaction = FrozenSet.Create(Pop3Phase.Transaction);
    private static readonly FrozenSet<Pop3Phase> Both = FrozenSet.Create(Pop3Phase.Authorization, Pop3Phase.Transaction);

    private static readonly FrozenDictionary<string, CommandSpec> Commands = new CommandSpec[]
    {
        new("CAPA", Both, (context, state, command, _) => new(CapaCommand.Execute(context, state, command))),
        new("QUIT", Both, QuitCommand.ExecuteAsync),
        new("USER", Authorization, InAuthorization(UserCommand.Execute)),
        new("PASS", Authorization, InAuthorization(PassCommand.ExecuteAsync)),
        new("AUTH", Authorization, InAuthorization(AuthCommand.ExecuteAsync)),
        new("STLS", Authorization, InAuthorization(StlsCommand.Execute)),
        new("STAT", Transaction, InTransaction(StatCommand.Execute)),
        new("LIST", Transaction, InTransaction(ListCommand.Execute)),
        new("UIDL", Transaction, InTransaction(UidlCommand.Execute)),
        new("RETR", Transaction, InTransaction(RetrCommand.ExecuteAsync)),
        new("TOP", Transaction, InTransaction(TopCommand.ExecuteAsync)),
        new("DELE", Transaction, InTransaction(DeleCommand.Execute)),
        new("RSET", Transaction, InTransaction(RsetCommand.Execute)),
        new("NOOP", Transaction, InTransaction(NoopCommand.Execute)),
    }.ToFrozenDictionary(c => c.Keyword, StringComparer.Ordinal);

    /// <summary>The command with this upper-case keyword, or null when the server does not know it.</summary>
    public static CommandSpec? Find(string keyword) => Commands.GetValueOrDefault(keyword);

    private static CommandHandler InAuthorization(Func<SessionContext, AuthorizationState, Pop3Command, Outcome> run) =>
        (context, state, command, _) => new(run(context, (AuthorizationState)state, command));

    private static CommandHandler InAuthorization(Func<SessionContext, AuthorizationState, Pop3Command, CancellationToken, ValueTask<Outcome>> run) =>
        (context, state, command, ct) => run(context, (AuthorizationState)state, command, ct);

    private static CommandHandler InTransaction(Func<TransactionState, Pop3Command, Outcome> run) =>
        (_, state, command, _) => new(run((TransactionState)state, command));

    private static CommandHandler InTransaction(Func<TransactionState, Pop3Command, CancellationToken, ValueTask<Outcome>> run) =>
        (_, state, command, ct) => run((TransactionState)state, command, ct);
}
