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

    /// <summary>The longest max_age (RFC 8461 §3.2: a year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>Parses the policy file (key: value lines, CRLF or LF); null when it is not a valid STSv1 policy.</summary>
    public static MtaStsPolicy? Parse(string id, string text) => Parse(id, text, out _);

    /// <summary>Parses the policy file (RFC 8461 §3.2): lines ended by LF or CRLF, each "name: value" with SP or HTAB around
    /// the value; version STSv1, mode enforce, testing or none, max_age 1 to 10 digits (a value beyond
    /// <see cref="MaxMaxAge"/>, the most §3.2 allows, is taken as that year: refusing it would leave the domain with no
    /// policy at all, which protects its mail less than a policy kept for a year), and
    /// for enforce and testing at least one mx, a host name or "*." and one. Other fields are ignored; of version, mode and
    /// max_age the last line counts. Null with the <paramref name="reason"/> (fixed words, nothing of the file's) when the
    /// file is not a valid policy.</summary>
    public static MtaStsPolicy? Parse(string id, string text, out string? reason)
    {
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var value = line[(colon + 1)..].Trim(' ', '\t');
            switch (line[..colon].Trim(' ', '\t'))
            {
                case "version": version = value; break;
                case "mode": mode = value; break;
                case "max_age": maxAge = value; break;
                case "mx":
                    if (!IsMxPattern(value))
                    {
                        reason = "an mx line is not a host name, nor \"*.\" and a host name";
                        return null;
                    }
                    mx.Add(value);
                    break;
            }
        }

        var parsedMode = mode switch { "enforce" => MtaStsMode.Enforce, "testing" => MtaStsMode.Testing, "none" => MtaStsMode.None, _ => (MtaStsMode?)null };
        var seconds = maxAge is { Length: > 0 and <= 10 } && maxAge.All(char.IsAsciiDigit) ? long.Parse(maxAge, CultureInfo.InvariantCulture) : -1;
        reason = version is null ? "no version line"
            : version != "STSv1" ? "the version is not STSv1"
            : mode is null ? "no mode line"
            : parsedMode is null ? "the mode is not enforce, testing or none"
            : maxAge is null ? "no max_age line"
            : seconds < 0 ? "max_age is not a number of 1 to 10 digits"
            : parsedMode != MtaStsMode.None && mx.Count == 0 ? $"mode {mode} without an mx line"
            : null;
        if (reason is not null) return null;
        return new MtaStsPolicy(id, parsedMode!.Value, mx, TimeSpan.FromSeconds(Math.Min(seconds, MaxMaxAge)), text.Replace("\r", "", StringComparison.Ordinal).Trim());
    }

    /// <summary>A host name of letters, digits and hyphens (labels of 1 to 63, a final dot allowed), "*." before it for any
    /// one label more (§4.1).</summary>
    private static bool IsMxPattern(string value)
    {
        var host = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        if (host.EndsWith('.')) host = host[..^1];
        if (host.Length is 0 or > 253) return false;
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var c in label)
                if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        }
        return true;
    }
}
