using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>What a contact did with (or what happened to) a campaign message; segmentation reads these.</summary>
public enum EngagementKind
{
    Received,
    Opened,
    Clicked,
    Converted,
    Bounced,
}

public static class EngagementKinds
{
    public static string Name(EngagementKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string name, out EngagementKind kind) =>
        Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !name.Any(char.IsDigit);

    public static EngagementKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new InvalidInputException($"'{name}' is not an engagement event (received, opened, clicked, converted, bounced)");
}
