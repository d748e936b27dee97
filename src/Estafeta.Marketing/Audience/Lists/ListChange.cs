namespace Estafeta.Marketing.Audience;

/// <summary>A change to a list: each property given (not null) is set, the others stay. An empty
/// <see cref="FromAddress"/> goes back to the default sender, an empty <see cref="ConsentText"/> to the default text.</summary>
public sealed record ListChange
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool? DoubleOptIn { get; init; }
    public string? FromAddress { get; init; }
    public string? ConsentText { get; init; }
}
