namespace Estafeta.Imap.Session;

/// <summary>What the debug transcript shows instead of passwords and SASL responses.</summary>
internal static class Transcript
{
    public const string Secret = "<redacted>";
}
