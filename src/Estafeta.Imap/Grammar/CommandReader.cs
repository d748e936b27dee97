using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Estafeta.Net;

namespace Estafeta.Imap.Grammar;

/// <summary>
/// Reads one command off the wire: lines, and after a line ending in a literal marker ({n} synchronizing,
/// {n+} non-synchronizing (RFC 7888), ~{n} binary (RFC 3516)) exactly n octets, until a line without one.
/// A synchronizing literal is asked for with a continuation request only when it fits the limits; larger
/// ones are refused before the client sends them. Every limit is checked before octets are kept.
/// </summary>
internal static class CommandReader
{
    /// <param name="continuation">Sends "+ ..." and flushes, when the client waits for it before a literal.</param>
    public static async ValueTask<RawCommand> ReadAsync(PipeReader reader, CommandLimits limits, Func<CancellationToken, ValueTask> continuation, CancellationToken ct)
    {
        var parts = new List<CommandPart>();
        var isAppend = false;
        var dropped = false;
        long total = 0;
        try
        {
            while (true)
            {
                var line = await LineReader.ReadLineAsync(reader, limits.MaxLineLength, ct).ConfigureAwait(false);
                if (line.Status == LineStatus.Closed) return await Abandon(parts, RawCommand.Closed).ConfigureAwait(false);
                if (line.Status == LineStatus.TooLong) return await Abandon(parts, RawCommand.LineTooLong).ConfigureAwait(false);
                var bytes = line.Bytes;
                if (parts.Count == 0) isAppend = IsAppend(bytes);
                if (!TryFindLiteralMarker(bytes, out var textLength, out var length, out var synchronizing, out var binary))
                {
                    parts.Add(new TextPart(bytes));
                    total += bytes.Length;
                    var status = dropped ? ReadStatus.LiteralDropped : total > limits.MaxCommandSize ? ReadStatus.CommandTooLarge : ReadStatus.Command;
                    if (status != ReadStatus.Command) return await Abandon(parts, new RawCommand(status, [parts[0]])).ConfigureAwait(false);
                    return new RawCommand(ReadStatus.Command, parts);
                }

                parts.Add(new TextPart(bytes[..textLength]));
                total += textLength + 1;
                var messageLiteral = isAppend;
                // Compared as what is left, not as a sum: a marker may announce up to 2^63-1 octets, and total + length
                // would wrap to a negative number that fits.
                var fits = isAppend ? length <= limits.MaxMessageSize : length <= limits.MaxCommandSize - total;
                if (!fits || dropped)
                {
                    if (synchronizing)
                        return await Abandon(parts, new RawCommand(ReadStatus.LiteralRefused, [parts[0]])).ConfigureAwait(false);
                    if (!await SkipAsync(reader, length, ct).ConfigureAwait(false)) return await Abandon(parts, RawCommand.Closed).ConfigureAwait(false);
                    dropped = true;
                    continue;
                }
                if (!messageLiteral) total += length;
                if (synchronizing) await continuation(ct).ConfigureAwait(false);
                var literal = await ReadLiteralAsync(reader, length, binary, limits.InMemoryLiteral, ct).ConfigureAwait(false);
                if (literal is null) return await Abandon(parts, RawCommand.Closed).ConfigureAwait(false);
                parts.Add(new LiteralPart(literal));
            }
        }
        catch
        {
            await Abandon(parts, RawCommand.Closed).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The tag at the start of a command line, or null when there is none.</summary>
    public static string? TagOf(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        var tag = space < 0 ? line : line[..space];
        if (tag.Length == 0 || tag.Length > 64) return null;
        foreach (var b in tag)
            if (!CharClass.IsTagChar(b)) return null;
        return Encoding.ASCII.GetString(tag);
    }

    /// <summary>Finds "{n}", "{n+}", "{n-}" or "~{n}" at the end of a line.</summary>
    internal static bool TryFindLiteralMarker(ReadOnlySpan<byte> line, out int textLength, out long length, out bool synchronizing, out bool binary)
    {
        textLength = 0;
        length = 0;
        synchronizing = true;
        binary = false;
        if (line.Length < 3 || line[^1] != '}') return false;
        var end = line.Length - 1;
        if (line[end - 1] is (byte)'+' or (byte)'-')
        {
            synchronizing = line[end - 1] == '-';
            end--;
        }
        var start = end;
        while (start > 0 && line[start - 1] is >= (byte)'0' and <= (byte)'9') start--;
        if (start == end || end - start > 19 || start == 0 || line[start - 1] != '{') return false;
        foreach (var digit in line[start..end]) length = length * 10 + (digit - '0');
        if (length < 0) return false;
        textLength = start - 1;
        if (textLength > 0 && line[textLength - 1] == '~')
        {
            binary = true;
            textLength--;
        }
        return true;
    }

    private static bool IsAppend(ReadOnlySpan<byte> line)
    {
        var space = line.IndexOf((byte)' ');
        if (space < 0) return false;
        var rest = line[(space + 1)..];
        return rest.Length > 6 && Ascii.EqualsIgnoreCase(rest[..6], "APPEND"u8) && rest[6] == ' ';
    }

    private static async ValueTask<Literal?> ReadLiteralAsync(PipeReader reader, long length, bool binary, int inMemory, CancellationToken ct)
    {
        if (length <= inMemory)
        {
            var bytes = new byte[length];
            var filled = 0;
            while (filled < length)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                var take = (int)Math.Min(buffer.Length, length - filled);
                buffer.Slice(0, take).CopyTo(bytes.AsSpan(filled));
                filled += take;
                reader.AdvanceTo(buffer.GetPosition(take));
                if (filled < length && (result.IsCompleted || result.IsCanceled)) return null;
            }
            return Literal.InMemory(bytes, binary);
        }

        var path = Path.Combine(Path.GetTempPath(), "estafeta-imap-" + Guid.NewGuid().ToString("N"));
        var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            long written = 0;
            while (written < length)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                var take = buffer.Slice(0, Math.Min(buffer.Length, length - written));
                foreach (var segment in take) await spool.WriteAsync(segment, ct).ConfigureAwait(false);
                written += take.Length;
                reader.AdvanceTo(take.End);
                if (written < length && (result.IsCompleted || result.IsCanceled))
                {
                    await spool.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
            }
            await spool.FlushAsync(ct).ConfigureAwait(false);
            return Literal.Spooled(spool, length, binary);
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask<bool> SkipAsync(PipeReader reader, long length, CancellationToken ct)
    {
        while (length > 0)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var take = Math.Min(result.Buffer.Length, length);
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            length -= take;
            if (length > 0 && (result.IsCompleted || result.IsCanceled)) return false;
        }
        return true;
    }

    private static async ValueTask<RawCommand> Abandon(List<CommandPart> parts, RawCommand result)
    {
        foreach (var part in parts)
            if (part is LiteralPart literal && !result.Parts.Contains(part)) await literal.Literal.DisposeAsync().ConfigureAwait(false);
        return result;
    }
}
