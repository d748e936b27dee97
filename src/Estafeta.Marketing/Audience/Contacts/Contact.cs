namespace Estafeta.Marketing.Audience;

/// <summary>
/// A person on the audience. <see cref="Email"/> is canonical (see <c>MailAddressCanonical</c>) and unique.
/// <see cref="Fields"/> holds the custom field values as presented (string, double, "yyyy-MM-dd" or bool).
/// </summary>
public sealed record Contact(
    long Id,
    string Email,
    string? Name,
    string? Language,
    string? TimeZone,
    IReadOnlyDictionary<string, object?> Fields,
    IReadOnlyList<string> Tags,
    ContactValidation? Validation,
    DateTimeOffset? PausedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The stored result of the address check: verdict, findings and a suggested correction.</summary>
public sealed record ContactValidation(string Verdict, IReadOnlyList<string> Flags, string? Suggestion);

/// <summary>
/// What to create or change. Null properties are left as they are; a field given as null or empty text is removed.
/// <see cref="Tags"/> are added; <see cref="RemoveTags"/> removed.
/// </summary>
public sealed record ContactInput(string Email)
{
    public string? Name { get; init; }
    public string? Language { get; init; }
    public string? TimeZone { get; init; }
    public IReadOnlyDictionary<string, string?>? Fields { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? RemoveTags { get; init; }
}
