using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Estafeta.Storage;

/// <summary>
/// The one form in which addresses and domains are stored and compared.
/// Domain: trailing dot removed, IDN converted to its ASCII (A-label) form, lowercased.
/// Local part: Unicode NFC, lowercased with the invariant culture, kept as UTF-8 (<c>josé@ejemplo.test</c>).
/// </summary>
public static class MailAddressCanonical
{
    private const int MaxLocalPartOctets = 64;
    private const int MaxDomainOctets = 253;

    // IdnMapping instances are not documented as thread-safe; one is cheap to make.
    private static IdnMapping Idn => new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>The canonical form of <c>local@domain</c>; throws <see cref="InvalidInputException"/> when malformed.</summary>
    public static string Address(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var trimmed = address.Trim();
        if (trimmed.Length > 1 && trimmed[0] == '<' && trimmed[^1] == '>')
        {
            trimmed = trimmed[1..^1];
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            throw new InvalidInputException($"'{address}' is not an email address (expected local@domain)");
        }

        return LocalPart(trimmed[..at], address) + "@" + Domain(trimmed[(at + 1)..]);
    }

    /// <summary>Like <see cref="Address"/> but returns false instead of throwing.</summary>
    public static bool TryAddress(string address, out string canonical)
    {
        try
        {
            canonical = Address(address);
            return true;
        }
        catch (InvalidInputException)
        {
            canonical = string.Empty;
            return false;
        }
    }

    // The canonical forms of recently seen domains: an import of a million addresses has a few hundred domains,
    // and IDNA mapping is the costly part of making an address canonical. Bounded; cleared when full.
    private const int DomainMemoSize = 4096;
    private static readonly ConcurrentDictionary<string, (string? Canonical, string? Problem)> DomainMemo = new(StringComparer.Ordinal);

    /// <summary>The canonical (A-label, lowercase) form of a domain name, or of an address literal like <c>[192.0.2.1]</c>.</summary>
    public static string Domain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (!DomainMemo.TryGetValue(domain, out var known))
        {
            try
            {
                known = (ComputeDomain(domain), null);
            }
            catch (InvalidInputException e)
            {
                known = (null, e.Message);
            }

            if (DomainMemo.Count >= DomainMemoSize) DomainMemo.Clear();
            DomainMemo[domain] = known;
        }

        return known.Canonical ?? throw new InvalidInputException(known.Problem!);
    }

    private static string ComputeDomain(string domain)
    {
        var trimmed = domain.Trim();
        if (trimmed.EndsWith('.'))
        {
            trimmed = trimmed[..^1];
        }

        if (trimmed.Length == 0)
        {
            throw new InvalidInputException("the domain name is empty");
        }

        if (trimmed[0] == '[' && trimmed[^1] == ']')
        {
            return trimmed.ToLowerInvariant();
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed.Normalize(NormalizationForm.FormC));
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"'{domain}' is not a valid domain name", e);
        }

        // IDNA maps the ideographic and full-width full stops (。．｡) to '.', so "ejemplo.es。" only ends with a dot after
        // the mapping; left there, the canonical form would not be its own canonical form.
        ascii = ascii.ToLowerInvariant();
        if (ascii.EndsWith('.'))
        {
            ascii = ascii[..^1];
        }

        if (ascii.Length > MaxDomainOctets)
        {
            throw new InvalidInputException($"'{domain}' is longer than {MaxDomainOctets} characters");
        }

        return ascii;
    }

    /// <summary>The domain of a canonical address (the text after the last <c>@</c>).</summary>
    public static string DomainOf(string canonicalAddress) => canonicalAddress[(canonicalAddress.LastIndexOf('@') + 1)..];

    /// <summary>A canonical address as a person reads it: the domain in Unicode (josé@españa.es for
    /// josé@xn--espaa-rta.es). For display only; what is stored, compared and exported stays canonical.</summary>
    public static string DisplayAddress(string canonicalAddress)
    {
        var at = canonicalAddress.LastIndexOf('@');
        return at < 0 || !canonicalAddress.Contains("xn--", StringComparison.OrdinalIgnoreCase)
            ? canonicalAddress
            : canonicalAddress[..(at + 1)] + DisplayDomain(canonicalAddress[(at + 1)..]);
    }

    /// <summary>The domain converted back to Unicode (U-labels) for display.</summary>
    public static string DisplayDomain(string canonicalDomain)
    {
        try
        {
            return Idn.GetUnicode(canonicalDomain);
        }
        catch (ArgumentException)
        {
            return canonicalDomain;
        }
    }

    private static string LocalPart(string local, string original)
    {
        string normalized;
        try
        {
            normalized = local.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        }
        catch (ArgumentException e)
        {
            throw new InvalidInputException($"'{original}' contains invalid Unicode", e);
        }

        foreach (var c in normalized)
        {
            // Any white space, not just ' ': a local part that began with U+2028 or U+3000 (inside <...>, which the
            // trimming above does not reach) was kept, and trimmed off when its canonical form was read again.
            if (char.IsControl(c) || (char.IsWhiteSpace(c) && normalized[0] != '"'))
            {
                throw new InvalidInputException($"'{original}' contains a space or control character in its local part");
            }
        }

        if (Encoding.UTF8.GetByteCount(normalized) > MaxLocalPartOctets)
        {
            throw new InvalidInputException($"the local part of '{original}' is longer than {MaxLocalPartOctets} bytes");
        }

        return normalized;
    }
}
