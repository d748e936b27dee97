using System.Collections.Frozen;
using Estafeta.Smtp.Commands;

namespace Estafeta.Smtp.Session;

internal delegate ValueTask<SessionStep> CommandHandler(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct);

/// <summary>The states a command is allowed in.</summary>
[Flags]
internal enum Allowed
{
    Connected = 1,
    Greeted = 2,
    MailStarted = 4,
    RecipientsAdded = 8,
    InTransaction = MailStarted | RecipientsAdded,
    Anywhere = Connected | Greeted | InTransaction,
}

/// <param name="TransfersMessage">Bounded by <see cref="SmtpServerOptions.DataTimeout"/> instead of the command timeout.</param>
internal sealed record CommandSpec(string Verb, Allowed AllowedIn, CommandHandler Handler, bool TransfersMessage = false);

/// <summary>Every command the server knows and the states it is allowed in. A known command in another
/// state gets 503 5.5.1; an unknown one 500 5.5.2. CHUNKING/BDAT is not offered, so BDAT is unknown.</summary>
internal static class CommandTable
{
    private static readonly FrozenDictionary<string, CommandSpec> Commands = new CommandSpec[]
    {
        new("HELO", Allowed.Anywhere, HeloCommand.ExecuteAsync),
        new("EHLO", Allowed.Anywhere, EhloCommand.ExecuteAsync),
        new("STARTTLS", Allowed.Greeted, StarttlsCommand.ExecuteAsync),
        new("AUTH", Allowed.Greeted, AuthCommand.ExecuteAsync),
        new("MAIL", Allowed.Greeted, MailCommand.ExecuteAsync),
        new("RCPT", Allowed.InTransaction, RcptCommand.ExecuteAsync),
        new("DATA", Allowed.InTransaction, DataCommand.ExecuteAsync, TransfersMessage: true),
        new("RSET", Allowed.Anywhere, RsetCommand.ExecuteAsync),
        new("NOOP", Allowed.Anywhere, NoopCommand.ExecuteAsync),
        new("QUIT", Allowed.Anywhere, QuitCommand.ExecuteAsync),
        new("VRFY", Allowed.Anywhere, VrfyCommand.ExecuteAsync),
        new("EXPN", Allowed.Anywhere, ExpnCommand.ExecuteAsync),
        new("HELP", Allowed.Anywhere, HelpCommand.ExecuteAsync),
    }.ToFrozenDictionary(c => c.Verb, StringComparer.Ordinal);

    public static bool TryGet(string verb, out CommandSpec spec) => Commands.TryGetValue(verb, out spec!);

    public static bool IsAllowed(CommandSpec spec, SessionState state) => (spec.AllowedIn & Of(state)) != 0;

    /// <summary>503 5.5.1 with what the client should have done first.</summary>
    public static SmtpReply OutOfSequence(CommandSpec spec, SessionState state) => new(503, "5.5.1", (spec.Verb, state) switch
    {
        (_, Connected) => "Send HELO/EHLO first",
        ("MAIL", _) => "Nested MAIL command",
        ("RCPT" or "DATA", _) => "Need MAIL command",
        _ => $"{spec.Verb} is not allowed during a mail transaction",
    });

    private static Allowed Of(SessionState state) => state switch
    {
        Connected => Allowed.Connected,
        Greeted => Allowed.Greeted,
        MailStarted => Allowed.MailStarted,
        RecipientsAdded => Allowed.RecipientsAdded,
        _ => throw new InvalidOperationException($"Unknown session state {state.GetType().Name}."),
    };
}
