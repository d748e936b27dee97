using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Imap;

public sealed record ImapServerOptions
{
    /// <summary>RFC 9051 §5.4: the autologout timer is at least 30 minutes.</summary>
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>RFC 7162 §4: clients may send command lines of 8192 octets.</summary>
    public const int MinLineLength = 8192;

    /// <summary>Named in the greeting.</summary>
    public required string HostName { get; init; }

    /// <summary>The certificate for STARTTLS; null when STARTTLS is not offered.</summary>
    public Func<X509Certificate2>? Certificate { get; init; }

    /// <summary>Allows LOGIN and AUTHENTICATE PLAIN without TLS. Off by default: before TLS the server
    /// advertises LOGINDISABLED (RFC 9051 §6.2.3).</summary>
    public bool AllowPlaintextAuth { get; init; }

    /// <summary>Octets of one command line (between literals), without CRLF. A longer line closes the connection.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Octets of a whole command except APPEND's message: lines and literals together.</summary>
    public long MaxCommandSize { get; init; } = 1024 * 1024;

    /// <summary>The largest message APPEND accepts (advertised as APPENDLIMIT, RFC 7889).</summary>
    public long MaxMessageSize { get; init; } = 50 * 1024 * 1024;

    /// <summary>How deep parentheses may nest in one command (SEARCH keys, FETCH items).</summary>
    public int MaxNestingDepth { get; init; } = 32;

    /// <summary>Commands answered BAD, in a row, before the connection is closed.</summary>
    public int MaxBadCommands { get; init; } = 20;

    /// <summary>How long the server waits for a command, or in IDLE, before logging the client out.</summary>
    public TimeSpan IdleTimeout { get; init; } = MinIdleTimeout;

    /// <summary>How long one command may take (store work and sending its response) before the session ends.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions one account may have open at once; a login beyond is refused with [LIMIT].</summary>
    public int MaxSessionsPerAccount { get; init; } = 20;

    /// <summary>Commands a session may send in a burst; beyond it, they are answered at <see cref="CommandsPerSecond"/>.</summary>
    public int CommandBurst { get; init; } = 500;

    public int CommandsPerSecond { get; init; } = 200;

    /// <summary>Parsed messages (ENVELOPE, BODYSTRUCTURE and part offsets) kept in memory, shared by every session.</summary>
    public int StructureCacheSize { get; init; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostName) || HostName.Any(c => c is < '!' or > '~'))
            throw new ArgumentException($"IMAP host name '{HostName}' must be printable ASCII without spaces.", nameof(HostName));
        if (MaxLineLength is < MinLineLength or > 16 * 1024 * 1024)
            throw new ArgumentException($"IMAP MaxLineLength {MaxLineLength} must be between {MinLineLength} (RFC 7162) and 16 MiB.", nameof(MaxLineLength));
        if (MaxCommandSize < MaxLineLength)
            throw new ArgumentException($"IMAP MaxCommandSize {MaxCommandSize} must be at least MaxLineLength ({MaxLineLength}).", nameof(MaxCommandSize));
        if (MaxMessageSize < 1024)
            throw new ArgumentException($"IMAP MaxMessageSize {MaxMessageSize} must be at least 1024 octets.", nameof(MaxMessageSize));
        if (MaxNestingDepth is < 4 or > 1000)
            throw new ArgumentException($"IMAP MaxNestingDepth {MaxNestingDepth} must be between 4 and 1000.", nameof(MaxNestingDepth));
        if (MaxBadCommands < 1)
            throw new ArgumentException($"IMAP MaxBadCommands {MaxBadCommands} must be at least 1.", nameof(MaxBadCommands));
        if (IdleTimeout < MinIdleTimeout)
            throw new ArgumentException($"IMAP IdleTimeout {IdleTimeout} must be at least {MinIdleTimeout} (RFC 9051 autologout).", nameof(IdleTimeout));
        if (CommandTimeout <= TimeSpan.Zero || TlsHandshakeTimeout <= TimeSpan.Zero)
            throw new ArgumentException("IMAP CommandTimeout and TlsHandshakeTimeout must be positive.", nameof(CommandTimeout));
        if (MaxSessionsPerAccount < 1)
            throw new ArgumentException($"IMAP MaxSessionsPerAccount {MaxSessionsPerAccount} must be at least 1.", nameof(MaxSessionsPerAccount));
        if (CommandBurst < 1 || CommandsPerSecond < 1)
            throw new ArgumentException("IMAP CommandBurst and CommandsPerSecond must be at least 1.", nameof(CommandBurst));
        if (StructureCacheSize < 0)
            throw new ArgumentException($"IMAP StructureCacheSize {StructureCacheSize} must not be negative.", nameof(StructureCacheSize));
    }
}
