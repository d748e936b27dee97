using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Smtp;

/// <summary>Settings of one SMTP listener. Every value is checked when it is set, with a message that
/// names the setting.</summary>
public sealed record SmtpServerOptions
{
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    /// <summary>The name this server greets with and gives in EHLO.</summary>
    public required string HostName
    {
        get;
        init => field = IsHostName(value) ? value
            : throw new ArgumentException($"HostName '{value}' is not a host name: give 1 to 255 printable ASCII characters without spaces.", nameof(HostName));
    }

    public SmtpMode Mode { get; init; } = SmtpMode.Mx;

    /// <summary>The TLS certificate for STARTTLS; null means STARTTLS is not offered.</summary>
    public Func<X509Certificate2>? Certificate { get; init; }

    /// <summary>Offer AUTH on a connection without TLS (only for tests and trusted networks).</summary>
    public bool AllowPlaintextAuth { get; init; }

    /// <summary>The longest command line, CRLF excluded; RFC 5321 §4.5.3.1.4 asks for at least 512.</summary>
    public int MaxCommandLineLength
    {
        get;
        init => field = value is >= 512 and <= 1024 * 1024 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxCommandLineLength), value, "MaxCommandLineLength must be between 512 (RFC 5321) and 1048576 bytes.");
    } = 2048;

    /// <summary>The largest message accepted (announced as EHLO SIZE, enforced while reading DATA).</summary>
    public long MaxMessageSize
    {
        get;
        init => field = value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), value, "MaxMessageSize must be a positive number of bytes.");
    } = 36_700_160;

    /// <summary>Recipients per transaction; more get 452 4.5.3.</summary>
    public int MaxRecipients
    {
        get;
        init => field = value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRecipients), value, "MaxRecipients must be at least 1 (RFC 5321 §4.5.3.1.8 asks for 100).");
    } = 100;

    /// <summary>Commands per session; the next one gets 421 and the connection is closed.</summary>
    public int MaxCommands
    {
        get;
        init => field = value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxCommands), value, "MaxCommands must be at least 1.");
    } = 1000;

    /// <summary>Client errors (syntax, bad sequence, failed logins) per session; at this many the client gets 421 and is disconnected.</summary>
    public int MaxErrors
    {
        get;
        init => field = value > 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxErrors), value, "MaxErrors must be at least 1.");
    } = 10;

    /// <summary>How long the server waits for the next command, and how long a command may take.</summary>
    public TimeSpan CommandTimeout { get; init => field = Timeout(value, nameof(CommandTimeout)); } = TimeSpan.FromMinutes(5);

    /// <summary>How long a whole DATA transfer, from 354 to the stored message, may take.</summary>
    public TimeSpan DataTimeout { get; init => field = Timeout(value, nameof(DataTimeout)); } = TimeSpan.FromMinutes(10);

    /// <summary>How long the TLS handshake after STARTTLS may take.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init => field = Timeout(value, nameof(TlsHandshakeTimeout)); } = TimeSpan.FromSeconds(30);

    private static TimeSpan Timeout(TimeSpan value, string name) =>
        value > TimeSpan.Zero && value <= LongestTimeout ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be more than zero and at most one day.");

    private static bool IsHostName(string? value) =>
        value is { Length: > 0 and <= 255 } && value.All(c => c is > ' ' and < (char)0x7f);
}
