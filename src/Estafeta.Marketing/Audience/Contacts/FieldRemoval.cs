namespace Estafeta.Marketing.Audience;

/// <summary>What removing a custom field did: the field, how many contacts lost their value of it, and the saved
/// segments that used it (only when the removal was forced: they fail until changed).</summary>
public sealed record FieldRemoval(string Field, long Contacts, IReadOnlyList<string> Segments);
