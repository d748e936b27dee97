using System.Net;
using System.Net.Sockets;

namespace Estafeta.MailAuth.Spf;

/// <summary>The record grammar of RFC 7208 §12, written over characters. Every term is checked, so
/// a syntax error anywhere in the record is found (§4.6) and reported with its position.
/// <code>
/// record    = version terms *SP
/// version   = "v=spf1"
/// terms     = *( 1*SP ( directive / modifier ) )
/// directive = [ qualifier ] mechanism
/// modifier  = redirect / explanation / unknown-modifier
/// name      = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
/// </code></summary>
public static class SpfRecordParser
{
    private const string Version = "v=spf1";

    /// <summary>True when the text is an SPF version 1 record: "v=spf1" (any case) then a space or the end (§4.5).</summary>
    public static bool IsSpfRecord(string text) =>
        text.Length >= Version.Length
        && text.StartsWith(Version, StringComparison.OrdinalIgnoreCase)
        && (text.Length == Version.Length || text[Version.Length] == ' ');

    public static SpfParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsSpfRecord(text))
        {
            return Failed(new SpfSyntaxError(text, 0, "an SPF record begins with \"v=spf1\" followed by a space or the end"));
        }

        var state = new State(text);
        var i = Version.Length;
        while (true)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var end = text.IndexOf(' ', i);
            if (end < 0)
            {
                end = text.Length;
            }

            var error = ParseTerm(state, i, end);
            if (error is not null)
            {
                return Failed(error);
            }

            i = end;
        }

        return new SpfParseResult(
            new SpfRecord(text, [.. state.Mechanisms], state.Redirect, state.Explanation, [.. state.Modifiers]), null);
    }

    private static SpfParseResult Failed(SpfSyntaxError error) => new(null, error);

    private static SpfSyntaxError? ParseTerm(State state, int start, int end)
    {
        var text = state.Text;
        var i = start;
        var qualifier = SpfQualifier.Pass;
        var hasQualifier = true;
        switch (text[i])
        {
            case '+':
                break;
            case '-':
                qualifier = SpfQualifier.Fail;
                break;
            case '~':
                qualifier = SpfQualifier.SoftFail;
                break;
            case '?':
                qualifier = SpfQualifier.Neutral;
                break;
            default:
                hasQualifier = false;
                break;
        }

        if (hasQualifier)
        {
            i++;
        }

        var nameStart = i;
        if (i < end && char.IsAsciiLetter(text[i]))
        {
            i++;
            while (i < end && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_' or '.'))
            {
                i++;
            }
        }

        if (i == nameStart)
        {
            return new SpfSyntaxError(text, i, i < end
                ? $"expected a mechanism or modifier name, found {SpfMacroParser.Describe(text[i])}"
                : "expected a mechanism after the qualifier");
        }

        var name = text.AsSpan(nameStart, i - nameStart);
        if (i < end && text[i] == '=')
        {
            return hasQualifier
                ? new SpfSyntaxError(text, start, "a modifier cannot have a qualifier")
                : ParseModifier(state, name, nameStart, i + 1, end);
        }

        if (!TryMechanismKind(name, out var kind))
        {
            return new SpfSyntaxError(text, nameStart, $"unknown mechanism '{name}'");
        }

        var mechanism = ParseMechanism(state, qualifier, kind, start, i, end, out var error);
        if (mechanism is not null)
        {
            state.Mechanisms.Add(mechanism);
        }

        return error;
    }

    private static SpfSyntaxError? ParseModifier(State state, ReadOnlySpan<char> name, int nameStart, int valueStart, int end)
    {
        var text = state.Text;
        var isRedirect = name.Equals("redirect", StringComparison.OrdinalIgnoreCase);
        var isExplanation = name.Equals("exp", StringComparison.OrdinalIgnoreCase);
        if (isRedirect || isExplanation)
        {
            if ((isRedirect && state.Redirect is not null) || (isExplanation && state.Explanation is not null))
            {
                return new SpfSyntaxError(text, nameStart, $"the {name} modifier appears more than once");
            }

            if (valueStart == end)
            {
                return new SpfSyntaxError(text, valueStart, $"{name}= needs a domain");
            }

            var domain = SpfMacroParser.Parse(text, valueStart, end, SpfMacroPlace.DomainSpec, out var domainError);
            if (domain is null)
            {
                return domainError;
            }

            if (isRedirect)
            {
                state.Redirect = domain;
            }
            else
            {
                state.Explanation = domain;
            }

            return null;
        }

        var value = SpfMacroParser.Parse(text, valueStart, end, SpfMacroPlace.ModifierValue, out var error);
        if (value is null)
        {
            return error;
        }

        state.Modifiers.Add(new SpfModifier(name.ToString(), value));
        return null;
    }

    private static SpfMechanism? ParseMechanism(State state, SpfQualifier qualifier, SpfMechanismKind kind, int start, int argument, int end, out SpfSyntaxError? error)
    {
        var text = state.Text;
        var termText = text[start..end];
        error = null;
        switch (kind)
        {
            case SpfMechanismKind.All:
                if (argument != end)
                {
                    error = new SpfSyntaxError(text, argument, "'all' takes no argument");
                    return null;
                }

                return new SpfMechanism(qualifier, kind, termText, start);

            case SpfMechanismKind.Include:
            case SpfMechanismKind.Exists:
            {
                if (argument == end || text[argument] != ':')
                {
                    error = new SpfSyntaxError(text, argument, $"'{KindName(kind)}' needs ':' and a domain");
                    return null;
                }

                var domain = DomainSpec(text, argument + 1, end, out error);
                return domain is null ? null : new SpfMechanism(qualifier, kind, termText, start) { Domain = domain };
            }

            case SpfMechanismKind.Ptr:
            {
                if (argument == end)
                {
                    return new SpfMechanism(qualifier, kind, termText, start);
                }

                if (text[argument] != ':')
                {
                    error = new SpfSyntaxError(text, argument, "'ptr' takes only ':' and a domain");
                    return null;
                }

                var domain = DomainSpec(text, argument + 1, end, out error);
                return domain is null ? null : new SpfMechanism(qualifier, kind, termText, start) { Domain = domain };
            }

            case SpfMechanismKind.A:
            case SpfMechanismKind.Mx:
            {
                var cidrStart = DualCidr(text, argument, end, out var cidr4, out var cidr6, out error);
                if (error is not null)
                {
                    return null;
                }

                SpfMacroString? domain = null;
                if (cidrStart > argument)
                {
                    if (text[argument] != ':')
                    {
                        error = new SpfSyntaxError(text, argument, $"expected ':' and a domain or a prefix length after '{KindName(kind)}'");
                        return null;
                    }

                    domain = DomainSpec(text, argument + 1, cidrStart, out error);
                    if (domain is null)
                    {
                        return null;
                    }
                }

                return new SpfMechanism(qualifier, kind, termText, start) { Domain = domain, Cidr4 = cidr4, Cidr6 = cidr6 };
            }

            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
            {
                var isIp4 = kind == SpfMechanismKind.Ip4;
                if (argument == end || text[argument] != ':')
                {
                    error = new SpfSyntaxError(text, argument, $"'{KindName(kind)}' needs ':' and a network");
                    return null;
                }

                var networkStart = argument + 1;
                var slash = text.IndexOf('/', networkStart, end - networkStart);
                var networkEnd = slash < 0 ? end : slash;
                var network = isIp4
                    ? Ip4Network(text, networkStart, networkEnd, out error)
                    : Ip6Network(text, networkStart, networkEnd, out error);
                if (network is null)
                {
                    return null;
                }

                var prefix = isIp4 ? 32 : 128;
                if (slash >= 0 && !TryPrefixLength(text, slash + 1, end, prefix, out prefix, out error))
                {
                    return null;
                }

                return new SpfMechanism(qualifier, kind, termText, start)
                {
                    Network = network,
                    NetworkBits = SpfAddress.Bits(network),
                    Cidr4 = isIp4 ? prefix : 32,
                    Cidr6 = isIp4 ? 128 : prefix,
                };
            }

            default:
                error = new SpfSyntaxError(text, start, "unknown mechanism");
                return null;
        }
    }

    private static SpfMacroString? DomainSpec(string text, int start, int end, out SpfSyntaxError? error)
    {
        if (start == end)
        {
            error = new SpfSyntaxError(text, start, "a domain is required after ':'");
            return null;
        }

        return SpfMacroParser.Parse(text, start, end, SpfMacroPlace.DomainSpec, out error);
    }

    /// <summary>dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], read from the end of
    /// the term. Returns where the lengths start (the end of the domain-spec).</summary>
    private static int DualCidr(string text, int start, int end, out int cidr4, out int cidr6, out SpfSyntaxError? error)
    {
        cidr4 = 32;
        cidr6 = 128;
        error = null;

        var digits = DigitsBefore(text, start, end);
        var beforeIp4 = end;
        if (digits < end && digits - 2 >= start && text[digits - 1] == '/' && text[digits - 2] == '/')
        {
            if (!TryPrefixLength(text, digits, end, 128, out cidr6, out error))
            {
                return end;
            }

            beforeIp4 = digits - 2;
        }

        digits = DigitsBefore(text, start, beforeIp4);
        if (digits < beforeIp4 && digits - 1 >= start && text[digits - 1] == '/')
        {
            if (!TryPrefixLength(text, digits, beforeIp4, 32, out cidr4, out error))
            {
                return end;
            }

            return digits - 1;
        }

        return beforeIp4;
    }

    private static int DigitsBefore(string text, int start, int end)
    {
        var i = end;
        while (i > start && char.IsAsciiDigit(text[i - 1]))
        {
            i--;
        }

        return i;
    }

    /// <summary>1*DIGIT without leading zeros, at most <paramref name="max"/>.</summary>
    private static bool TryPrefixLength(string text, int start, int end, int max, out int value, out SpfSyntaxError? error)
    {
        value = 0;
        error = null;
        if (start == end)
        {
            error = new SpfSyntaxError(text, start, "a prefix length is required after '/'");
            return false;
        }

        for (var i = start; i < end; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                error = new SpfSyntaxError(text, i, $"character {SpfMacroParser.Describe(text[i])} is not allowed in a prefix length");
                return false;
            }

            value = Math.Min(1000, (value * 10) + (text[i] - '0'));
        }

        if (end - start > 1 && text[start] == '0')
        {
            error = new SpfSyntaxError(text, start, "a prefix length cannot have leading zeros");
            return false;
        }

        if (value > max)
        {
            error = new SpfSyntaxError(text, start, $"a prefix length cannot exceed {max}");
            return false;
        }

        return true;
    }

    /// <summary>ip4-network = qnum "." qnum "." qnum "." qnum; qnum is 0 to 255 without leading zeros.</summary>
    private static IPAddress? Ip4Network(string text, int start, int end, out SpfSyntaxError? error)
    {
        error = null;
        Span<byte> octets = stackalloc byte[4];
        var i = start;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (i >= end || text[i] != '.')
                {
                    error = new SpfSyntaxError(text, Math.Min(i, end), "an IPv4 network needs four dotted numbers");
                    return null;
                }

                i++;
            }

            var digitsStart = i;
            var value = 0;
            while (i < end && char.IsAsciiDigit(text[i]) && i - digitsStart < 3)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            if (i == digitsStart || value > 255 || (i - digitsStart > 1 && text[digitsStart] == '0'))
            {
                error = new SpfSyntaxError(text, digitsStart, "an IPv4 network needs four numbers from 0 to 255 without leading zeros");
                return null;
            }

            octets[octet] = (byte)value;
        }

        if (i != end)
        {
            error = new SpfSyntaxError(text, i, $"unexpected {SpfMacroParser.Describe(text[i])} after the IPv4 network");
            return null;
        }

        return new IPAddress(octets);
    }

    private static IPAddress? Ip6Network(string text, int start, int end, out SpfSyntaxError? error)
    {
        error = null;
        for (var i = start; i < end; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]) && text[i] is not ':' and not '.')
            {
                error = new SpfSyntaxError(text, i, $"character {SpfMacroParser.Describe(text[i])} is not allowed in an IPv6 network");
                return null;
            }
        }

        if (end > start
            && text.AsSpan(start, end - start).Contains(':')
            && IPAddress.TryParse(text.AsSpan(start, end - start), out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address;
        }

        error = new SpfSyntaxError(text, start, "not a valid IPv6 network");
        return null;
    }

    private static bool TryMechanismKind(ReadOnlySpan<char> name, out SpfMechanismKind kind)
    {
        Span<char> lower = stackalloc char[8];
        kind = default;
        if (name.Length > lower.Length)
        {
            return false;
        }

        name.ToLowerInvariant(lower);
        switch (lower[..name.Length])
        {
            case "all": kind = SpfMechanismKind.All; return true;
            case "include": kind = SpfMechanismKind.Include; return true;
            case "a": kind = SpfMechanismKind.A; return true;
            case "mx": kind = SpfMechanismKind.Mx; return true;
            case "ptr": kind = SpfMechanismKind.Ptr; return true;
            case "ip4": kind = SpfMechanismKind.Ip4; return true;
            case "ip6": kind = SpfMechanismKind.Ip6; return true;
            case "exists": kind = SpfMechanismKind.Exists; return true;
            default: return false;
        }
    }

    private static string KindName(SpfMechanismKind kind) => kind.ToString().ToLowerInvariant();

    private sealed class State(string text)
    {
        public string Text { get; } = text;
        public List<SpfMechanism> Mechanisms { get; } = [];
        public List<SpfModifier> Modifiers { get; } = [];
        public SpfMacroString? Redirect { get; set; }
        public SpfMacroString? Explanation { get; set; }
    }
}
