namespace Estafeta.MailAuth.Dmarc;

/// <summary>Collects the results this server reached for one message into one Authentication-Results
/// field with our authserv-id (RFC 8601 §2.5: the host name of the evaluating server).</summary>
public sealed class AuthenticationResultsBuilder(string authservId)
{
    private readonly List<AuthenticationResult> results = [];

    public AuthenticationResultsBuilder Add(AuthenticationResult result)
    {
        results.Add(result);
        return this;
    }

    /// <summary>Adds a resinfo written elsewhere (e.g. DkimResult.ToAuthenticationResults()).</summary>
    public AuthenticationResultsBuilder Add(string resinfo)
    {
        if (!AuthenticationResultsParser.TryParseResinfo(resinfo, out var result, out var error))
            throw new FormatException($"\"{resinfo}\" is not an Authentication-Results resinfo: {error}");
        results.Add(result!);
        return this;
    }

    /// <summary>spf=result with smtp.mailfrom (or smtp.helo when MAIL FROM was empty).</summary>
    public AuthenticationResultsBuilder AddSpf(string result, string? mailFrom, string? helo = null, string? comment = null)
    {
        var properties = new List<AuthenticationResultProperty>();
        if (!string.IsNullOrEmpty(mailFrom)) properties.Add(new("smtp", "mailfrom", mailFrom));
        if (!string.IsNullOrEmpty(helo)) properties.Add(new("smtp", "helo", helo));
        return Add(new AuthenticationResult { Method = "spf", Result = result, Comment = comment, Properties = properties });
    }

    /// <summary>dkim=result with header.d, header.s and header.b (RFC 6008).</summary>
    public AuthenticationResultsBuilder AddDkim(string result, string? domain, string? selector = null, string? signaturePrefix = null, string? comment = null)
    {
        var properties = new List<AuthenticationResultProperty>();
        if (!string.IsNullOrEmpty(domain)) properties.Add(new("header", "d", domain));
        if (!string.IsNullOrEmpty(selector)) properties.Add(new("header", "s", selector));
        if (!string.IsNullOrEmpty(signaturePrefix)) properties.Add(new("header", "b", signaturePrefix.Length > 8 ? signaturePrefix[..8] : signaturePrefix));
        return Add(new AuthenticationResult { Method = "dkim", Result = result, Comment = comment, Properties = properties });
    }

    /// <summary><c>dmarc=pass (p=reject dis=none) header.from=example.com</c>.</summary>
    public AuthenticationResultsBuilder AddDmarc(DmarcResult result) => Add(result.ToAuthenticationResults());

    /// <summary>arc=result with the oldest passing instance and the connecting address (RFC 8617 §10.2).</summary>
    public AuthenticationResultsBuilder AddArc(string result, string? comment = null, int? oldestPass = null, string? remoteIp = null)
    {
        var properties = new List<AuthenticationResultProperty>();
        if (oldestPass is { } oldest) properties.Add(new("header", "oldest-pass", oldest.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(remoteIp)) properties.Add(new("smtp", "remote-ip", remoteIp));
        return Add(new AuthenticationResult { Method = "arc", Result = result, Comment = comment, Properties = properties });
    }

    public AuthenticationResultsHeader Build() => new() { AuthservId = authservId.Trim(), Results = results.ToArray() };

    /// <summary>The field ready to prepend: "Authentication-Results: ...\r\n".</summary>
    public string ToHeaderField() => Build().ToHeaderField();

    public override string ToString() => Build().ToValue();
}
