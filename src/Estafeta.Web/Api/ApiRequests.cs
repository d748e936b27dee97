using System.Text.Json;
using Estafeta.Marketing.Audience;

namespace Estafeta.Web.Api;

/// <summary>A contact to create or change. Field values may be JSON strings, numbers or booleans; null removes the value.</summary>
public sealed record ContactRequest(
    string? Email,
    string? Name = null,
    string? Language = null,
    string? TimeZone = null,
    Dictionary<string, JsonElement>? Fields = null,
    List<string>? Tags = null,
    List<string>? RemoveTags = null)
{
    public ContactInput ToInput(string? emailOverride = null)
    {
        var email = emailOverride ?? Email;
        if (string.IsNullOrWhiteSpace(email)) throw new ApiBadRequestException("email is required");
        return new ContactInput(email)
        {
            Name = Name,
            Language = Language,
            TimeZone = TimeZone,
            Fields = FieldText(Fields),
            Tags = Tags,
            RemoveTags = RemoveTags,
        };
    }

    public static Dictionary<string, string?>? FieldText(Dictionary<string, JsonElement>? fields) =>
        fields?.ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind switch
        {
            JsonValueKind.String => kv.Value.GetString(),
            // The number as written: through a double, 1e400 became "Infinity" and 12345678901234567890 "1.2345678901234567E+19"
            // in a text field (a number field reads the text as a double itself).
            JsonValueKind.Number => kv.Value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => throw new ApiBadRequestException($"field {kv.Key} must be a string, number, boolean or null"),
        });
}

public sealed record FieldRequest(string? Name, string? Type, List<string>? Choices = null);

public sealed record EventRequest(string? Kind, string? Campaign = null, DateTimeOffset? At = null);

public sealed record ValidateRequest(string? Email);

public sealed record ListRequest(string? Name, string? Description = null, bool DoubleOptIn = false, string? FromAddress = null, string? ConsentText = null);

/// <summary>A change to a list: the properties given are set, the others kept. An empty fromAddress goes back to the
/// default sender, an empty consentText to the default text.</summary>
public sealed record ListChangeRequest(string? Name = null, string? Description = null, bool? DoubleOptIn = null, string? FromAddress = null, string? ConsentText = null);

/// <summary>Subscribe through the API. <see cref="Ip"/> and <see cref="UserAgent"/> are those of the person, when the caller collected them.</summary>
public sealed record SubscribeApiRequest(
    string? Email,
    string? Name = null,
    string? Language = null,
    Dictionary<string, JsonElement>? Fields = null,
    string? ConsentText = null,
    string? Ip = null,
    string? UserAgent = null);

public sealed record StatusRequest(string? Status);

public sealed record SegmentRequest(string? Name, string? Expression);

public sealed record CountRequest(string? Expression);

public sealed record SuppressionRequest(string? Email, string? Reason = null, string? Note = null);

public sealed record SubscribeResponse(string Outcome, long? ContactId);

/// <summary>A count preview; <see cref="Warnings"/> names what compiles but is likely a mistake (a campaign no event names).</summary>
public sealed record CountResponse(string Expression, long Count, IReadOnlyList<string> Warnings);

public sealed record SuppressionResponse(string? Email, string Hash, string Reason, string? Note, DateTimeOffset CreatedAt);

public sealed record SegmentResponse(long Id, string Name, string Expression, long? Count, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>What compiles but is likely a mistake (a campaign no event names); given when the segment is saved.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }
}
