using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>What a signed token allows.</summary>
public enum TokenPurpose
{
    /// <summary>Confirm a double opt-in subscription (expires).</summary>
    Confirm,
    /// <summary>Unsubscribe from one list (one-click, mailto, page); does not expire.</summary>
    Unsubscribe,
    /// <summary>Open the preference centre of a contact; does not expire.</summary>
    Preferences,
    /// <summary>The time a subscription form was served (bot protection).</summary>
    Form,
}

public sealed record ConsentToken(TokenPurpose Purpose, long ContactId, long ListId, DateTimeOffset? Expires);

/// <summary>
/// Signed tokens for links and forms: <c>{purpose}{contact}-{list}-{expiry}-{mac}</c>, all lowercase letters,
/// digits and hyphens so they survive in URLs and in the local part of a mail address (which mail systems may
/// lowercase). The MAC is HMAC-SHA256 under the installation secret, truncated to 128 bits.
/// </summary>
public sealed class ConsentTokens(byte[] key, TimeProvider time)
{
    public string Create(TokenPurpose purpose, long contactId, long listId, DateTimeOffset? expires = null)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{Letter(purpose)}{contactId}-{listId}-{expires?.ToUnixTimeSeconds() ?? 0}");
        return body + "-" + Mac(body);
    }

    /// <summary>The token's content when its signature is right, its purpose is <paramref name="purpose"/> and it has not expired.</summary>
    public ConsentToken? Verify(string? token, TokenPurpose purpose)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 120) return null;
        token = token.ToLowerInvariant();
        var lastDash = token.LastIndexOf('-');
        if (lastDash <= 0) return null;
        var body = token[..lastDash];
        var mac = token[(lastDash + 1)..];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(body)), Encoding.ASCII.GetBytes(mac))) return null;
        if (body[0] != Letter(purpose)) return null;
        var parts = body[1..].Split('-');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var contact)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var list)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return null;
        }

        DateTimeOffset? expires = expiry == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(expiry);
        if (expires is { } e && e < time.GetUtcNow()) return null;
        return new ConsentToken(purpose, contact, list, expires);
    }

    private static char Letter(TokenPurpose purpose) => purpose switch
    {
        TokenPurpose.Confirm => 'c',
        TokenPurpose.Unsubscribe => 'u',
        TokenPurpose.Preferences => 'p',
        _ => 'f',
    };

    private string Mac(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)).AsSpan(0, 16));
}
