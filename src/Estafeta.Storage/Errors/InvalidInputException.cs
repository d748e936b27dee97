namespace Estafeta.Storage;

/// <summary>An address, mailbox name, password or other input is malformed.</summary>
public sealed class InvalidInputException : StorageException
{
    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
