using System.Net;
using System.Text;

namespace Estafeta.MailAuth.Spf;

/// <summary>One parsed mechanism of an SPF record.</summary>
public sealed class SpfMechanism
{
    internal SpfMechanism(SpfQualifier qualifier, SpfMechanismKind kind, string text, int position)
    {
        Qualifier = qualifier;
        Kind = kind;
        Text = text;
        Position = position;
    }

    public SpfQualifier Qualifier { get; }

    public SpfMechanismKind Kind { get; }

    /// <summary>The target domain-spec; null when the mechanism uses the current domain (or takes none).</summary>
    public SpfMacroString? Domain { get; internal init; }

    /// <summary>The network of ip4 and ip6 mechanisms.</summary>
    public IPAddress? Network { get; internal init; }

    /// <summary>Prefix length applied to IPv4 addresses (a, mx, ip4); 32 when not given.</summary>
    public int Cidr4 { get; internal init; } = 32;

    /// <summary>Prefix length applied to IPv6 addresses (a, mx, ip6); 128 when not given.</summary>
    public int Cidr6 { get; internal init; } = 128;

    /// <summary>The mechanism as written in the record, qualifier included.</summary>
    public string Text { get; }

    /// <summary>Zero-based position of the mechanism in the record text.</summary>
    public int Position { get; }

    /// <summary>True for the mechanisms that count towards the limit of 10 DNS lookups (RFC 7208 §4.6.4).</summary>
    public bool CausesDnsLookup => Kind is SpfMechanismKind.Include or SpfMechanismKind.A or SpfMechanismKind.Mx
        or SpfMechanismKind.Ptr or SpfMechanismKind.Exists;

    internal UInt128 NetworkBits { get; init; }

    public override string ToString() => Text;
}

/// <summary>A modifier that is neither redirect nor exp; it is kept but has no effect (RFC 7208 §6).</summary>
public sealed record SpfModifier(string Name, SpfMacroString Value);

/// <summary>A parsed SPF record (RFC 7208 §4.6, §12).</summary>
public sealed class SpfRecord
{
    internal SpfRecord(string text, SpfMechanism[] mechanisms, SpfMacroString? redirect, SpfMacroString? explanation, SpfModifier[] modifiers)
    {
        Text = text;
        Mechanisms = mechanisms;
        Redirect = redirect;
        Explanation = explanation;
        UnknownModifiers = modifiers;
    }

    public string Text { get; }

    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    /// <summary>The <c>redirect=</c> domain-spec.</summary>
    public SpfMacroString? Redirect { get; }

    /// <summary>The <c>exp=</c> domain-spec.</summary>
    public SpfMacroString? Explanation { get; }

    public IReadOnlyList<SpfModifier> UnknownModifiers { get; }

    /// <summary>Terms of this record alone that cause DNS lookups (mechanisms and redirect), not counting includes.</summary>
    public int DnsLookupTerms => Mechanisms.Count(static m => m.CausesDnsLookup) + (Redirect is null ? 0 : 1);

    public override string ToString()
    {
        var text = new StringBuilder("v=spf1");
        foreach (var mechanism in Mechanisms)
        {
            text.Append(' ').Append(mechanism.Text);
        }

        if (Redirect is not null)
        {
            text.Append(" redirect=").Append(Redirect.Text);
        }

        if (Explanation is not null)
        {
            text.Append(" exp=").Append(Explanation.Text);
        }

        return text.ToString();
    }
}
