namespace Estafeta.Marketing.Audience;

/// <summary>A saved segment: a name for an expression, evaluated each time it is used (dynamic).</summary>
public sealed record Segment(long Id, string Name, string Expression, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
