namespace Estafeta.MailAuth.Spf;

/// <summary>A parsed macro-string (a domain-spec, a modifier value or an explanation).</summary>
public sealed class SpfMacroString
{
    internal SpfMacroString(string text, SpfMacroPart[] parts)
    {
        Text = text;
        Parts = parts;
        var macros = 0;
        foreach (var part in parts)
        {
            if (part.IsMacro)
            {
                macros++;
                UsesValidatedName |= char.ToLowerInvariant(part.Letter) == 'p';
            }
        }

        if (macros == 0)
        {
            Literal = string.Concat(parts.Select(static p => p.Literal));
        }
    }

    /// <summary>The text as written in the record.</summary>
    public string Text { get; }

    /// <summary>True when the string contains at least one <c>%{...}</c> macro.</summary>
    public bool HasMacros => Literal is null;

    /// <summary>Whether expansion needs the validated domain name of the client (<c>%{p}</c>, a DNS lookup).</summary>
    public bool UsesValidatedName { get; }

    internal SpfMacroPart[] Parts { get; }

    /// <summary>The expansion when there are no macros (escapes such as <c>%%</c> already resolved).</summary>
    internal string? Literal { get; }

    public override string ToString() => Text;
}
