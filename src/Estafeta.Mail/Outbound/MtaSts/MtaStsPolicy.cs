using System.Globalization;

namespace Estafeta.Mail.Outbound.MtaSts;

public enum MtaStsMode
{
    None,
    Testing,
    Enforce,
}

/// <summary>An MTA-STS policy (RFC 8461 §3.2): the mode, the MX host patterns, how long it may be cached, and the
/// id of the TXT record it came with. <see cref="Text"/> keeps the lines for TLS reports.</summary>
public sealed record MtaStsPolicy(string Id, MtaStsMode Mode, IReadOnlyList<string> MxPatterns, TimeSpan MaxAge, string Text)
{
    /// <summary>True when <paramref name="mxHost"/> matches one of the policy's patterns (a leading <c>*.</c> stands
    /// for exactly one label, §4.1).</summary>
    public bool Allows(string mxHost)
    {
        var host = mxHost.TrimEnd('.').ToLowerInvariant();
        foreach (var pattern in MxPatterns)
        {
            var p = pattern.TrimEnd('.').ToLowerInvariant();
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.');
                if (dot > 0 && host[(dot + 1)..] == p[2..]) return true;
            }
            else if (p == host) return true;
        }
        return false;
    }

    /// <summary>Parses the policy file (key: value lines, CRLF or LF); null when it is not a valid STSv1 policy.</summary>
    public static MtaStsPolicy? Parse(string id, string text)
    {
        string? version = null;
        MtaStsMode? mode = null;
        long? maxAge = null;
        var mx = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "version": version = value; break;
                case "mode":
                    mode = value switch { "enforce" => MtaStsMode.Enforce, "testing" => MtaStsMode.Testing, "none" => MtaStsMode.None, _ => null };
                    break;
                case "max_age":
                    if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) maxAge = Math.Min(seconds, 31_557_600);
                    break;
                case "mx": mx.Add(value); break;
            }
        }
        if (version != "STSv1" || mode is null || maxAge is null || (mode != MtaStsMode.None && mx.Count == 0)) return null;
        return new MtaStsPolicy(id, mode.Value, mx, TimeSpan.FromSeconds(maxAge.Value), text.Replace("\r", "", StringComparison.Ordinal).Trim());
    }
}
