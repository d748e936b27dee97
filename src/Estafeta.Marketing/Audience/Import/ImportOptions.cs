namespace Estafeta.Marketing.Audience;

/// <summary>
/// How to import: the list to subscribe new rows to (none: contacts only), the column maps, what the operator
/// states about how these people consented (kept with each consent record), and tags to add to every row.
/// </summary>
public sealed record ImportOptions(string ConsentSource)
{
    public long? ListId { get; init; }
    public IReadOnlyList<string> Maps { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public ImportFormat? Format { get; init; }
    /// <summary>The file's name as its owner knows it, recorded with the job and in its consent record (an upload through
    /// the API is saved under a name of the server's own); null: the name of the file read.</summary>
    public string? FileName { get; init; }
    /// <summary>Rows written per transaction (and per checkpoint).</summary>
    public int BatchSize { get; init; } = 50_000;
    /// <summary>Called as the file is read: bytes read so far, file length, rows read.</summary>
    public IProgress<ImportProgress>? Progress { get; init; }
}

public readonly record struct ImportProgress(long BytesRead, long TotalBytes, long Rows);
