using System.Text;

namespace Estafeta.Storage;

/// <summary>
/// Mailbox names: hierarchy separator <c>/</c>, <c>INBOX</c> matched case-insensitively and stored uppercase,
/// everything else case-sensitive, Unicode NFC.
/// </summary>
public static class MailboxName
{
    public const string Inbox = "INBOX";
    public const char Separator = '/';
    private const int MaxLength = 512;

    /// <summary>The mailboxes every new account gets, with their RFC 6154 special-use attribute.</summary>
    public static readonly IReadOnlyList<(string Name, string? SpecialUse)> Defaults =
    [
        (Inbox, null),
        ("Sent", SpecialUse.Sent),
        ("Drafts", SpecialUse.Drafts),
        ("Junk", SpecialUse.Junk),
        ("Trash", SpecialUse.Trash),
        ("Archive", SpecialUse.Archive),
    ];

    /// <summary>The stored form of <paramref name="name"/>; throws <see cref="InvalidInputException"/> when it cannot be a mailbox name.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Normalize(NormalizationForm.FormC);
        if (normalized.Length == 0)
        {
            throw new InvalidInputException("the mailbox name is empty");
        }

        if (normalized.Length > MaxLength)
        {
            throw new InvalidInputException($"the mailbox name is longer than {MaxLength} characters");
        }

        if (normalized[0] == Separator || normalized[^1] == Separator || normalized.Contains("//", StringComparison.Ordinal))
        {
            throw new InvalidInputException($"mailbox name '{name}' has an empty level between '/' separators");
        }

        foreach (var c in normalized)
        {
            if (char.IsControl(c) || c is '*' or '%')
            {
                throw new InvalidInputException($"mailbox name '{name}' contains '*', '%' or a control character");
            }
        }

        var firstLevel = normalized.IndexOf(Separator, StringComparison.Ordinal) is var slash and >= 0 ? normalized[..slash] : normalized;
        return string.Equals(firstLevel, Inbox, StringComparison.OrdinalIgnoreCase)
            ? Inbox + normalized[firstLevel.Length..]
            : normalized;
    }
}
