namespace Estafeta.Pop3;

/// <summary>What the session does after sending a reply.</summary>
internal enum SessionAction { Continue, UpgradeTls, Close }

/// <summary>The result of one command: the reply to send, the next state, and what to do next.</summary>
internal readonly record struct Outcome(Pop3Reply Reply, SessionState State, SessionAction Action = SessionAction.Continue);
