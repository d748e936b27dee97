namespace Estafeta.Imap.Mime;

/// <summary>Raw header values as octets.</summary>
internal static class HeaderValues
{
    /// <summary>Removes the line breaks of folding (keeping the whitespace after them) and trims.</summary>
    public static byte[] Unfold(ReadOnlySpan<byte> raw)
    {
        var result = new List<byte>(raw.Length);
        foreach (var b in raw)
            if (b is not ((byte)'\r' or (byte)'\n')) result.Add(b);
        var start = 0;
        var end = result.Count;
        while (start < end && result[start] is (byte)' ' or (byte)'\t') start++;
        while (end > start && result[end - 1] is (byte)' ' or (byte)'\t') end--;
        return [.. result.GetRange(start, end - start)];
    }
}
