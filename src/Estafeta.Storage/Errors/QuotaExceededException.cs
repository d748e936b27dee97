namespace Estafeta.Storage;

/// <summary>The operation would take the account over its quota; nothing was changed.</summary>
public sealed class QuotaExceededException : StorageException
{
    public QuotaExceededException(string message)
        : base(message)
    {
    }
}
