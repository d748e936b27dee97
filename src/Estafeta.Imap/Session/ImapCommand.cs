using Estafeta.Imap.Grammar;

namespace Estafeta.Imap.Session;

/// <summary>A command after its tag and name were read: <see cref="Args"/> is positioned at the first argument
/// (after the space that follows the name, when there is one). <see cref="Uid"/> is true for "UID name".</summary>
internal sealed record ImapCommand(string Tag, string Name, bool Uid, Tokenizer Args)
{
    /// <summary>The name as written in completions, e.g. "UID FETCH".</summary>
    public string FullName => Uid ? "UID " + Name : Name;
}
