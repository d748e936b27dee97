using System.Globalization;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Names and zone-file text for DKIM key records.</summary>
public static class DkimDnsRecord
{
    /// <summary><c>selector._domainkey.domain</c>.</summary>
    public static string Name(string selector, string domain) => $"{selector}._domainkey.{domain.TrimEnd('.')}";

    /// <summary>Cuts a TXT value into character-strings of at most <paramref name="maxOctets"/>
    /// octets (a DNS character-string holds 255); resolvers join them back without separators.</summary>
    public static IReadOnlyList<string> SplitTxt(string value, int maxOctets = 255)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOctets, 4);
        var parts = new List<string>();
        var start = 0;
        while (start < value.Length)
        {
            var end = start;
            var octets = 0;
            while (end < value.Length)
            {
                var length = char.IsSurrogatePair(value, end) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(value.AsSpan(end, length));
                if (octets + size > maxOctets) break;
                octets += size;
                end += length;
            }
            parts.Add(value[start..end]);
            start = end;
        }
        if (parts.Count == 0) parts.Add(string.Empty);
        return parts;
    }

    /// <summary>A zone-file line: <c>sel._domainkey.example.com. IN TXT ( "v=DKIM1; k=rsa; p=..." "..." )</c>.</summary>
    public static string ZoneFileLine(string selector, string domain, DkimPrivateKey key, int ttl = 3600)
    {
        var strings = key.DnsTxtStrings.Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        return $"{Name(selector, domain)}. {ttl.ToString(CultureInfo.InvariantCulture)} IN TXT ( {string.Join(' ', strings)} )";
    }
}
