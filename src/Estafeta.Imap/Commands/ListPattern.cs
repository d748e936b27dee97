using Estafeta.Imap.Grammar;

namespace Estafeta.Imap.Commands;

/// <summary>A LIST pattern (RFC 9051 §6.3.9): "*" matches anything, "%" anything but the separator "/".
/// A first level spelled INBOX in any case matches INBOX.</summary>
internal sealed class ListPattern(string pattern)
{
    private readonly string _pattern = CanonicalInbox(pattern);

    public bool Matches(string name) => Match(name, 0, 0);

    /// <summary>True when some name below <paramref name="name"/> could match ("%" patterns and parents).</summary>
    public bool MatchesAsParent(string name) => Match(name + MailboxNames.Separator, 0, 0, prefix: true);

    private bool Match(string name, int n, int p, bool prefix = false)
    {
        while (p < _pattern.Length)
        {
            var c = _pattern[p];
            if (c is '*' or '%')
            {
                for (var end = n; end <= name.Length; end++)
                {
                    if (Match(name, end, p + 1, prefix)) return true;
                    if (end < name.Length && c == '%' && name[end] == MailboxNames.Separator) break;
                }
                return false;
            }
            if (n >= name.Length) return prefix;
            if (name[n] != c) return false;
            n++;
            p++;
        }
        return n == name.Length;
    }

    private static string CanonicalInbox(string pattern)
    {
        if (pattern.Length < 5 || !pattern.StartsWith("INBOX", StringComparison.OrdinalIgnoreCase)) return pattern;
        return pattern.Length == 5 || pattern[5] == MailboxNames.Separator ? "INBOX" + pattern[5..] : pattern;
    }
}
