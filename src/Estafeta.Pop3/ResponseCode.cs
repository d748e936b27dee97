namespace Estafeta.Pop3;

/// <summary>Extended response codes (RFC 2449 §8, RFC 3206), sent in brackets after "-ERR".</summary>
internal static class ResponseCode
{
    /// <summary>The failure is due to the credentials, or to how they were offered (RFC 3206 §5).</summary>
    public const string Auth = "AUTH";
    /// <summary>Another session holds the maildrop lock (RFC 2449 §8.1.1).</summary>
    public const string InUse = "IN-USE";
    /// <summary>Logging in is refused until a delay has passed (RFC 2449 §8.1.2).</summary>
    public const string LoginDelay = "LOGIN-DELAY";
    /// <summary>A transient server-side problem; trying later may work (RFC 3206 §4).</summary>
    public const string SysTemp = "SYS/TEMP";
}
