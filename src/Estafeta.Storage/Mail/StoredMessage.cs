namespace Estafeta.Storage;

/// <summary>A message with its envelope fields.</summary>
public sealed record StoredMessage(MessageSummary Summary, MessageEnvelope Envelope);
