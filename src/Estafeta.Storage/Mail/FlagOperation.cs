namespace Estafeta.Storage;

/// <summary>How <see cref="MailStore.SetFlagsAsync"/> combines the given flags and keywords with the stored ones (IMAP STORE FLAGS, +FLAGS, -FLAGS).</summary>
public enum FlagOperation
{
    Replace,
    Add,
    Remove,
}
