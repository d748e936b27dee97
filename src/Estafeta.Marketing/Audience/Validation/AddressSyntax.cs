using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The syntax of an address a person can be mailed at: an RFC 5321 <c>Mailbox</c> (dot-atom or quoted-string
/// local part, at most 64 octets; a domain of LDH labels or an address literal), with the RFC 6531 (SMTPUTF8)
/// extension that allows UTF-8 in the local part and IDN U-labels in the domain. Comments, folding white space
/// and obsolete forms of RFC 5322 are refused: they are legal in a header field but never in an envelope.
/// </summary>
public static class AddressSyntax
{
    private const string AtextSpecials = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>The canonical form of a valid address, or null with the reason it is not one.</summary>
    public static string? Check(string input, out string? problem)
    {
        problem = null;
        var text = input.Trim();
        if (text.Length == 0)
        {
            problem = "the address is empty";
            return null;
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            problem = "an address needs a local part, an @ and a domain";
            return null;
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        if (!LocalPartIsValid(local, out problem) || !DomainIsValid(domain, out problem))
        {
            return null;
        }

        if (!MailAddressCanonical.TryAddress(text, out var canonical))
        {
            problem = "the address cannot be put in canonical form";
            return null;
        }

        return canonical;
    }

    private static bool LocalPartIsValid(string local, out string? problem)
    {
        problem = null;
        if (Encoding.UTF8.GetByteCount(local) > 64)
        {
            problem = "the part before the @ is longer than 64 bytes";
            return false;
        }

        if (local[0] == '"')
        {
            if (local.Length < 2 || local[^1] != '"')
            {
                problem = "a quoted local part must end with a quote";
                return false;
            }

            for (var i = 1; i < local.Length - 1; i++)
            {
                var c = local[i];
                if (c == '\\')
                {
                    i++;
                    if (i >= local.Length - 1 || local[i] < 32 || local[i] == 127)
                    {
                        problem = "a backslash in a quoted local part must escape a visible character";
                        return false;
                    }

                    continue;
                }

                if (c == '"' || c < 32 || c == 127)
                {
                    problem = "a quoted local part contains a quote or control character";
                    return false;
                }
            }

            return true;
        }

        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            problem = "the part before the @ may not start or end with a dot or have two dots in a row";
            return false;
        }

        foreach (var c in local)
        {
            var ok = c == '.' || char.IsAsciiLetterOrDigit(c) || AtextSpecials.Contains(c, StringComparison.Ordinal)
                || (c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c) && c != '\u00A0');
            if (!ok)
            {
                problem = string.Create(CultureInfo.InvariantCulture, $"the character '{c}' is not allowed before the @");
                return false;
            }
        }

        return true;
    }

    // Per domain, the check's verdict (null: valid): imports check many addresses of few domains. Bounded; cleared when full.
    private static readonly ConcurrentDictionary<string, string> DomainProblems = new(StringComparer.Ordinal);

    private static bool DomainIsValid(string domain, out string? problem)
    {
        if (DomainProblems.TryGetValue(domain, out var known))
        {
            problem = known.Length == 0 ? null : known;
            return problem is null;
        }

        var valid = CheckDomain(domain, out problem);
        if (DomainProblems.Count >= 4096) DomainProblems.Clear();
        DomainProblems[domain] = problem ?? "";
        return valid;
    }

    private static bool CheckDomain(string domain, out string? problem)
    {
        problem = null;
        if (domain[0] == '[')
        {
            if (domain[^1] != ']')
            {
                problem = "an address literal must end with ]";
                return false;
            }

            if (!Estafeta.Smtp.AddressLiteral.TryParse(domain, out _))
            {
                problem = "the address literal is not an IPv4 address or IPv6:address";
                return false;
            }

            return true;
        }

        string ascii;
        try
        {
            ascii = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(domain.Normalize(NormalizationForm.FormC).TrimEnd('.'));
        }
        catch (ArgumentException)
        {
            problem = "the domain is not a valid host name";
            return false;
        }

        if (ascii.Length > 253)
        {
            problem = "the domain is longer than 253 characters";
            return false;
        }

        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            problem = "the domain needs at least two labels (ejemplo.es)";
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                problem = "a label of the domain is empty, too long or starts or ends with a hyphen";
                return false;
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            problem = "the top-level domain is numeric";
            return false;
        }

        return true;
    }
}
