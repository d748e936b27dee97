namespace Estafeta.Storage;

/// <summary>A stored message file: its lowercase hex SHA-256 (the file name) and its size in bytes.</summary>
public sealed record BlobRef(string Hash, long Size);
