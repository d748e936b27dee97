namespace Estafeta.Imap.Grammar;

/// <summary>What <see cref="CommandReader"/> read.</summary>
internal enum ReadStatus
{
    /// <summary>A whole command is in <see cref="RawCommand.Parts"/>.</summary>
    Command,
    /// <summary>The client closed the connection.</summary>
    Closed,
    /// <summary>A line was longer than the limit: the connection cannot be resynchronised.</summary>
    LineTooLong,
    /// <summary>A synchronizing literal was larger than allowed; it was refused before the client sent it.
    /// <see cref="RawCommand.Tag"/> says which command to answer.</summary>
    LiteralRefused,
    /// <summary>A non-synchronizing literal was larger than allowed; its octets were read and dropped.</summary>
    LiteralDropped,
    /// <summary>The command as a whole (text and literals) was larger than allowed.</summary>
    CommandTooLarge,
}

/// <summary>One command as read off the wire, with its literals; dispose it to delete spooled literals.</summary>
internal sealed class RawCommand(ReadStatus status, IReadOnlyList<CommandPart> parts) : IAsyncDisposable
{
    public static RawCommand Closed { get; } = new(ReadStatus.Closed, []);
    public static RawCommand LineTooLong { get; } = new(ReadStatus.LineTooLong, []);

    public ReadStatus Status { get; } = status;
    public IReadOnlyList<CommandPart> Parts { get; } = parts;

    /// <summary>The tag, when the first line starts with one (for answering a refused command).</summary>
    public string? Tag => Parts.Count > 0 && Parts[0] is TextPart text ? CommandReader.TagOf(text.Bytes) : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var part in Parts)
            if (part is LiteralPart literal) await literal.Literal.DisposeAsync().ConfigureAwait(false);
    }
}
