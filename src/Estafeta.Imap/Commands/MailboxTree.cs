using Estafeta.Imap.Grammar;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>The user's mailboxes with the parent levels their names imply, in LIST order: INBOX first, then by
/// name (ordinal), so parents come before children.</summary>
internal sealed class MailboxTree
{
    private readonly Dictionary<string, MailboxEntry?> _entries;

    private MailboxTree(Dictionary<string, MailboxEntry?> entries)
    {
        _entries = entries;
        Names = [.. entries.Keys.OrderBy(n => MailboxNames.IsInbox(n) ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Names { get; }

    public static MailboxTree Build(IEnumerable<MailboxEntry> mailboxes)
    {
        var entries = new Dictionary<string, MailboxEntry?>(StringComparer.Ordinal);
        foreach (var mailbox in mailboxes) entries[MailboxNames.CanonicalInbox(mailbox.Name)] = mailbox with { Name = MailboxNames.CanonicalInbox(mailbox.Name) };
        foreach (var name in entries.Keys.ToList())
        {
            for (var slash = name.IndexOf(MailboxNames.Separator); slash > 0; slash = name.IndexOf(MailboxNames.Separator, slash + 1))
                entries.TryAdd(name[..slash], null);
        }
        return new MailboxTree(entries);
    }

    /// <summary>The mailbox, or null for a level that does not exist itself.</summary>
    public MailboxEntry? Entry(string name) => _entries.GetValueOrDefault(name);

    public bool HasChildren(string name)
    {
        var prefix = name + MailboxNames.Separator;
        return _entries.Keys.Any(n => n.StartsWith(prefix, StringComparison.Ordinal));
    }

    public bool HasSubscribedDescendant(string name)
    {
        var prefix = name + MailboxNames.Separator;
        return _entries.Any(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value?.Subscribed == true);
    }
}
