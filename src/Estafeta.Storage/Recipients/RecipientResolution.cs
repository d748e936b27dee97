namespace Estafeta.Storage;

/// <summary>
/// Where mail for <see cref="Address"/> goes. For <see cref="RecipientResolutionKind.Local"/> at least one of
/// <see cref="AccountIds"/> and <see cref="RemoteTargets"/> is non-empty. <see cref="Problem"/> describes a
/// loop or too-deep chain met on the way (also when other branches did resolve), for the log.
/// </summary>
public sealed record RecipientResolution(
    RecipientResolutionKind Kind,
    string Address,
    IReadOnlyList<long> AccountIds,
    IReadOnlyList<string> RemoteTargets,
    string? Problem)
{
    public bool IsLocal => Kind == RecipientResolutionKind.Local;
}
