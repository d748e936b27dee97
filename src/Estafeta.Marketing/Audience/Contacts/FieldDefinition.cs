namespace Estafeta.Marketing.Audience;

/// <summary>A custom contact field: its name (lowercase, letters, digits and _), type and, for choices, the allowed values.</summary>
public sealed record FieldDefinition(long Id, string Name, FieldType Type, IReadOnlyList<string> Choices);
