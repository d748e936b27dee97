using Estafeta.Imap.Protocol;

namespace Estafeta.Imap.Session;

/// <summary>What the session does after sending the completion.</summary>
internal enum SessionAction { Continue, UpgradeTls, Close }

/// <summary>The result of one command: its tagged completion, the next state, and what to do next.</summary>
internal readonly record struct Outcome(Completion Completion, SessionState State, SessionAction Action = SessionAction.Continue);
