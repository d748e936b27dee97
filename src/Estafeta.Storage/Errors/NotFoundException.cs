namespace Estafeta.Storage;

/// <summary>The named domain, account, alias, mailbox, message or queue entry does not exist.</summary>
public sealed class NotFoundException : StorageException
{
    public NotFoundException(string message)
        : base(message)
    {
    }
}
