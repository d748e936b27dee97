namespace Estafeta.Storage;

/// <summary>The change contradicts what is stored: the name exists already, or removing it would leave others dangling.</summary>
public sealed class ConflictException : StorageException
{
    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
