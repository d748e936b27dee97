namespace Estafeta.Imap.Mime;

/// <summary>Reads Content-Type and Content-Disposition values (RFC 2045 §5.1, RFC 2183) as raw octets: a value,
/// then ";" name "=" (token / quoted-string) parameters, with comments skipped. Parameter values come out
/// unquoted; RFC 2231 names and values stay as written.</summary>
internal static class MimeHeaderParser
{
    /// <summary>The part before the first ";" (e.g. "text/plain" or "attachment"), and the parameters.</summary>
    public static (byte[] Value, List<MimeParameter> Parameters) Parse(ReadOnlySpan<byte> raw)
    {
        var i = 0;
        SkipSpace(raw, ref i);
        var start = i;
        while (i < raw.Length && raw[i] is not ((byte)';' or (byte)'(')) i++;
        var value = Trim(raw[start..i]).ToArray();
        var parameters = new List<MimeParameter>();
        while (i < raw.Length)
        {
            if (raw[i] == '(') { SkipComment(raw, ref i); continue; }
            if (raw[i] != ';') { i++; continue; }
            i++;
            SkipSpace(raw, ref i);
            var nameStart = i;
            while (i < raw.Length && raw[i] is not ((byte)'=' or (byte)';' or (byte)' ' or (byte)'\t')) i++;
            var name = raw[nameStart..i].ToArray();
            SkipSpace(raw, ref i);
            if (i >= raw.Length || raw[i] != '=' || name.Length == 0) continue;
            i++;
            SkipSpace(raw, ref i);
            byte[] parameterValue;
            if (i < raw.Length && raw[i] == '"')
            {
                var text = new List<byte>();
                for (i++; i < raw.Length && raw[i] != '"'; i++)
                {
                    if (raw[i] == '\\' && i + 1 < raw.Length) i++;
                    text.Add(raw[i]);
                }
                i++;
                parameterValue = [.. text];
            }
            else
            {
                var valueStart = i;
                while (i < raw.Length && raw[i] is not ((byte)';' or (byte)' ' or (byte)'\t' or (byte)'(')) i++;
                parameterValue = raw[valueStart..i].ToArray();
            }
            parameters.Add(new MimeParameter(name, parameterValue));
        }
        return (value, parameters);
    }

    private static void SkipSpace(ReadOnlySpan<byte> raw, ref int i)
    {
        while (i < raw.Length)
        {
            if (raw[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
            else if (raw[i] == '(') SkipComment(raw, ref i);
            else break;
        }
    }

    private static void SkipComment(ReadOnlySpan<byte> raw, ref int i)
    {
        var depth = 0;
        for (; i < raw.Length; i++)
        {
            if (raw[i] == '\\') { i++; continue; }
            if (raw[i] == '(') depth++;
            else if (raw[i] == ')' && --depth == 0) { i++; return; }
        }
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t\r\n"u8);
}
