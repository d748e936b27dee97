namespace Estafeta.Storage;

/// <summary>
/// A storage operation could not be done. The message is written for the operator:
/// the CLI and the API print it as it is.
/// </summary>
public class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
