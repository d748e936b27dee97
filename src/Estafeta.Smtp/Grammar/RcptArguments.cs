using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Grammar;

/// <summary>
/// The argument of RCPT: <c>"TO:" [SP] ( "&lt;Postmaster&gt;" / Forward-path ) *( SP Rcpt-parameter )</c>,
/// with NOTIFY and ORCPT (RFC 3461). A UTF-8 address needs SMTPUTF8 on the MAIL of the transaction.
/// </summary>
internal static class RcptArguments
{
    public const int MaxOriginalRecipient = 500;

    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static SmtpReply BadAddress { get; } = new(501, "5.1.3", "Bad recipient address syntax");
    public static SmtpReply AddressTooLong { get; } = new(501, "5.1.3", "Recipient address too long");
    public static SmtpReply NonAsciiWithoutSmtpUtf8 { get; } = new(553, "5.6.7", "Non-ASCII recipient address requires SMTPUTF8 on MAIL");

    public static bool TryParse(ReadOnlySpan<byte> argument, bool smtpUtf8, out ForwardPath path, out SmtpReply error)
    {
        path = null!;
        if (argument.Length < 3 || !Ascii.EqualsIgnoreCase(argument[..3], "TO:"u8))
        {
            error = Usage;
            return false;
        }
        var rest = argument[3..].TrimStart((byte)' ');
        if (rest.IsEmpty)
        {
            error = Usage;
            return false;
        }
        var parsed = PathGrammar.ParseForwardPath(rest);
        if (parsed.Error != PathError.None || (parsed.Length < rest.Length && rest[parsed.Length] != ' '))
        {
            error = parsed.Error == PathError.TooLong ? AddressTooLong : BadAddress;
            return false;
        }
        if (parsed.NonAscii && !smtpUtf8)
        {
            error = NonAsciiWithoutSmtpUtf8;
            return false;
        }
        var parameters = new List<EsmtpParameter>();
        if (!EsmtpParameters.TryParse(rest[parsed.Length..], parameters, out error)) return false;

        var result = new ForwardPath(parsed.Address);
        foreach (var (keyword, value) in parameters)
        {
            switch (keyword)
            {
                case "NOTIFY" when ParseNotify(value) is { } notify:
                    result = result with { Notify = notify };
                    break;
                case "NOTIFY":
                    error = EsmtpParameters.ParameterError("Bad NOTIFY value (NEVER, or SUCCESS, FAILURE and DELAY separated by commas)");
                    return false;
                case "ORCPT" when ParseOriginalRecipient(value) is { } original:
                    result = result with { OriginalRecipient = original };
                    break;
                case "ORCPT":
                    error = EsmtpParameters.ParameterError("Bad ORCPT value (addr-type;xtext)");
                    return false;
                default:
                    error = EsmtpParameters.Unsupported(keyword);
                    return false;
            }
        }
        path = result;
        error = default;
        return true;
    }

    private static DsnNotify? ParseNotify(string? value)
    {
        if (value is null) return null;
        if (string.Equals(value, "NEVER", StringComparison.OrdinalIgnoreCase)) return DsnNotify.Never;
        DsnNotify result = 0;
        foreach (var item in value.Split(','))
        {
            DsnNotify flag;
            if (string.Equals(item, "SUCCESS", StringComparison.OrdinalIgnoreCase)) flag = DsnNotify.Success;
            else if (string.Equals(item, "FAILURE", StringComparison.OrdinalIgnoreCase)) flag = DsnNotify.Failure;
            else if (string.Equals(item, "DELAY", StringComparison.OrdinalIgnoreCase)) flag = DsnNotify.Delay;
            else return null;
            result |= flag;
        }
        return result;
    }

    /// <summary><c>addr-type ";" xtext</c>, where addr-type is an atom such as "rfc822" or "utf-8" (RFC 6533), and the
    /// decoded address is UTF-8 without control characters.</summary>
    private static OriginalRecipient? ParseOriginalRecipient(string? value)
    {
        if (value is null) return null;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0) return null;
        var type = value[..semicolon];
        foreach (var c in type)
            if (c >= 0x80 || !SmtpChars.IsAtext((byte)c)) return null;
        // xtext can carry any octet, but what it carries is an address: one with CR, LF or another control character
        // would go on into the Original-Recipient field of a DSN (RFC 3464 §2.3.1).
        if (!Xtext.TryDecode(Encoding.ASCII.GetBytes(value[(semicolon + 1)..]), out var address)
            || address.Length is 0 or > MaxOriginalRecipient || !Utf8.IsValid(address)
            || SmtpChars.HasControl(address))
            return null;
        return new OriginalRecipient(type, Encoding.UTF8.GetString(address));
    }
}
