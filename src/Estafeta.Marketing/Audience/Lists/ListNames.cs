using System.Data.Common;
using System.Text;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>How a list is found by its name (segments' <c>list("...")</c>): the exact name (trimmed, Unicode NFC), else
/// the one list whose name is the same but for case, accents, spaces and hyphens (<see cref="FieldValues.Fold"/>).</summary>
internal static class ListNames
{
    public static string Normalize(string name) => CaseFold.Nfc(name.Trim());

    /// <summary>Every list's id and name, what <see cref="Find"/> looks among (a server holds at most
    /// <see cref="ListStore.MaxLists"/>).</summary>
    public static async Task<List<(long Id, string Name)>> LoadAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct) =>
        (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition("SELECT id, name FROM lists", transaction: tx, cancellationToken: ct)).ConfigureAwait(false)).AsList();

    /// <summary>The list's id, or null with the lists named alike (several: ambiguous; none: no such list).</summary>
    public static long? Find(string name, IReadOnlyList<(long Id, string Name)> lists, out List<(long Id, string Name)> alike)
    {
        alike = [];
        var normal = Normalize(name);
        foreach (var (id, listName) in lists)
            if (string.Equals(Normalize(listName), normal, StringComparison.Ordinal)) return id;
        var fold = FieldValues.Fold(normal);
        foreach (var list in lists)
            if (string.Equals(FieldValues.Fold(list.Name), fold, StringComparison.Ordinal)) alike.Add(list);
        return alike.Count == 1 ? alike[0].Id : null;
    }

    /// <summary><paramref name="expression"/> after lists were renamed from <paramref name="before"/> to
    /// <paramref name="after"/> (same ids): every <c>list("...")</c> that would now find another list than it found before
    /// (or none) names the list it found before by that list's name now; the rest of the text stays as written. That
    /// covers the renamed list's old name, and a loose name of another list (<c>list("b")</c> for "B") that the new name
    /// would take over. Null when nothing changes (or the expression no longer reads).</summary>
    public static string? Rename(string expression, IReadOnlyList<(long Id, string Name)> before, IReadOnlyList<(long Id, string Name)> after)
    {
        List<SegmentToken> tokens;
        try
        {
            tokens = SegmentLexer.Tokenize(expression);
        }
        catch (SegmentSyntaxException)
        {
            return null;
        }

        var text = new StringBuilder(expression);
        var changed = false;
        for (var i = tokens.Count - 3; i >= 0; i--)
        {
            if (tokens[i] is not { Kind: SegmentTokenKind.Identifier } call || !call.Text.Equals("list", StringComparison.OrdinalIgnoreCase)
                || tokens[i + 1].Kind != SegmentTokenKind.LeftParen || tokens[i + 2] is not { Kind: SegmentTokenKind.String } literal) continue;
            var name = (string)literal.Value!;
            if (Find(name, before, out _) is not { } was || Find(name, after, out _) == was) continue;
            text.Remove(literal.Position, literal.Text.Length).Insert(literal.Position, Quote(after.First(l => l.Id == was).Name));
            changed = true;
        }

        return changed ? text.ToString() : null;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
