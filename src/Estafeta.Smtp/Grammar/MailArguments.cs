using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Grammar;

/// <summary>
/// The argument of MAIL: <c>"FROM:" [SP] Reverse-path *( SP Mail-parameter )</c>. A space after the colon is
/// tolerated (as Postfix does). Parameters: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531),
/// RET and ENVID (RFC 3461), AUTH (RFC 4954).
/// </summary>
internal static class MailArguments
{
    public const int MaxEnvelopeId = 100;

    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    public static SmtpReply BadAddress { get; } = new(501, "5.1.7", "Bad sender address syntax");
    public static SmtpReply AddressTooLong { get; } = new(501, "5.1.7", "Sender address too long");
    public static SmtpReply NonAsciiWithoutSmtpUtf8 { get; } = new(553, "5.6.7", "Non-ASCII sender address requires the SMTPUTF8 parameter");

    /// <param name="authenticated">Whether the client logged in: only then is AUTH=&lt;mailbox&gt; kept (RFC 4954 §5).</param>
    public static bool TryParse(ReadOnlySpan<byte> argument, bool authenticated, out ReversePath path, out SmtpReply error)
    {
        path = null!;
        if (argument.Length < 5 || !Ascii.EqualsIgnoreCase(argument[..5], "FROM:"u8))
        {
            error = Usage;
            return false;
        }
        var rest = argument[5..].TrimStart((byte)' ');
        if (rest.IsEmpty)
        {
            error = Usage;
            return false;
        }
        var parsed = PathGrammar.ParseReversePath(rest);
        if (parsed.Error != PathError.None || (parsed.Length < rest.Length && rest[parsed.Length] != ' '))
        {
            error = parsed.Error == PathError.TooLong ? AddressTooLong : BadAddress;
            return false;
        }
        var parameters = new List<EsmtpParameter>();
        if (!EsmtpParameters.TryParse(rest[parsed.Length..], parameters, out error)) return false;

        var result = new ReversePath(parsed.Address);
        foreach (var (keyword, value) in parameters)
        {
            if (!Apply(ref result, keyword, value, authenticated, out error)) return false;
        }
        if (parsed.NonAscii && !result.SmtpUtf8)
        {
            error = NonAsciiWithoutSmtpUtf8;
            return false;
        }
        path = result;
        error = default;
        return true;
    }

    private static bool Apply(ref ReversePath path, string keyword, string? value, bool authenticated, out SmtpReply error)
    {
        error = default;
        switch (keyword)
        {
            case "SIZE" when value is { Length: <= 20 } && value.All(char.IsAsciiDigit):
                path = path with { Size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : long.MaxValue };
                return true;
            case "SIZE":
                error = EsmtpParameters.ParameterError("Bad SIZE value");
                return false;
            case "BODY" when string.Equals(value, "7BIT", StringComparison.OrdinalIgnoreCase):
                path = path with { Body = BodyType.SevenBit };
                return true;
            case "BODY" when string.Equals(value, "8BITMIME", StringComparison.OrdinalIgnoreCase):
                path = path with { Body = BodyType.EightBitMime };
                return true;
            case "BODY":
                error = EsmtpParameters.ParameterError("Unsupported BODY type (7BIT and 8BITMIME are)");
                return false;
            case "SMTPUTF8" when value is null:
                path = path with { SmtpUtf8 = true };
                return true;
            case "SMTPUTF8":
                error = EsmtpParameters.ParameterError("SMTPUTF8 takes no value");
                return false;
            case "RET" when string.Equals(value, "FULL", StringComparison.OrdinalIgnoreCase):
                path = path with { Return = DsnReturn.Full };
                return true;
            case "RET" when string.Equals(value, "HDRS", StringComparison.OrdinalIgnoreCase):
                path = path with { Return = DsnReturn.Headers };
                return true;
            case "RET":
                error = EsmtpParameters.ParameterError("Bad RET value (FULL or HDRS)");
                return false;
            case "ENVID":
                if (value is not null && Xtext.TryDecode(Encoding.ASCII.GetBytes(value), out var envid)
                    && envid.Length is > 0 and <= MaxEnvelopeId && envid.All(SmtpChars.IsPrintableAscii))
                {
                    path = path with { EnvelopeId = Encoding.ASCII.GetString(envid) };
                    return true;
                }
                error = EsmtpParameters.ParameterError("Bad ENVID value (xtext, at most 100 characters)");
                return false;
            case "AUTH":
                if (value == "<>")
                {
                    path = path with { Auth = "" };
                    return true;
                }
                if (value is not null && Xtext.TryDecode(Encoding.ASCII.GetBytes(value), out var auth) && auth.Length > 0 && Utf8.IsValid(auth)
                    && !SmtpChars.HasControl(auth))
                {
                    path = path with { Auth = authenticated ? Encoding.UTF8.GetString(auth) : "" };
                    return true;
                }
                error = EsmtpParameters.ParameterError("Bad AUTH value (xtext mailbox or <>)");
                return false;
            default:
                error = EsmtpParameters.Unsupported(keyword);
                return false;
        }
    }
}
