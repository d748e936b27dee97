using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

internal static class Stores
{
    /// <summary>The user's store in an authenticated or selected state.</summary>
    public static IImapStore Of(SessionState state) => state switch
    {
        AuthenticatedState a => a.Store,
        SelectedState s => s.Store,
        _ => throw new InvalidOperationException("No store before login."),
    };
}
