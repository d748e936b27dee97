using System.Text;
using Estafeta.MailAuth.Dmarc;

namespace Estafeta.MailAuth.Dkim;

/// <summary>The outcome of verifying one DKIM-Signature, in RFC 8601 terms.</summary>
/// <param name="Status">The result keyword.</param>
/// <param name="Reason">A short human explanation, e.g. "body hash did not verify".</param>
/// <param name="Domain">d= (header.d), when the signature had one.</param>
/// <param name="Selector">s= (header.s).</param>
/// <param name="Identity">i= (header.i), defaulting to "@" + d=.</param>
/// <param name="Algorithm">a= as written in the signature (header.a).</param>
/// <param name="SignaturePrefix">b= without whitespace, whole or its beginning (a verified signature gives only its first 8
/// characters); <see cref="HeaderB"/> takes the first 8 (RFC 6008 header.b).</param>
/// <param name="KeyTesting">The key record carries t=y: the domain is testing DKIM.</param>
/// <param name="BodyLength">l= when the signature covers only part of the body.</param>
public sealed record DkimResult(
    DkimStatus Status,
    string Reason,
    string? Domain = null,
    string? Selector = null,
    string? Identity = null,
    string? Algorithm = null,
    string? SignaturePrefix = null,
    bool KeyTesting = false,
    long? BodyLength = null)
{
    /// <summary>The result for a message without any DKIM-Signature.</summary>
    public static DkimResult NotSigned { get; } = new(DkimStatus.None, "message not signed");

    /// <summary>The first 8 characters of b= (RFC 6008 header.b), enough to tell signatures apart.</summary>
    public string? HeaderB => SignaturePrefix is null ? null
        : SignaturePrefix.Length <= 8 ? SignaturePrefix : SignaturePrefix[..8];

    /// <summary>The RFC 8601 keyword of <see cref="Status"/>.</summary>
    public string Keyword => Status.ToKeyword();

    /// <summary>This result as one resinfo of an Authentication-Results header field, e.g.
    /// <c>dkim=pass (signature verified) header.d=example.com header.s=sel header.b="AbCd+/12"</c>.</summary>
    public string ToAuthenticationResults()
    {
        var text = new StringBuilder("dkim=").Append(Keyword);
        text.Append(" (").Append(AuthenticationResultsFormat.EscapeComment(Reason)).Append(')');
        AppendProperty(text, "header.d", Domain);
        AppendProperty(text, "header.i", Identity);
        AppendProperty(text, "header.s", Selector);
        AppendProperty(text, "header.a", Algorithm);
        AppendProperty(text, "header.b", HeaderB);
        return text.ToString();
    }

    public override string ToString() => ToAuthenticationResults();

    /// <summary>A malformed signature's tags are passed on as written, so a value may hold anything a header
    /// field can (a bare CR, a NUL): the shared RFC 8601 quoting keeps such octets out of the field written.</summary>
    private static void AppendProperty(StringBuilder text, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        text.Append(' ').Append(name).Append('=').Append(AuthenticationResultsFormat.PropertyValue(value));
    }
}
