using System.Security.Cryptography.X509Certificates;

namespace Estafeta.Pop3;

public sealed record Pop3ServerOptions
{
    /// <summary>RFC 2449 §4: a command line is at most 255 octets with its CRLF, so 253 without.</summary>
    public const int MinCommandLineLength = 253;

    /// <summary>RFC 1939 §3: the autologout timer is at least 10 minutes.</summary>
    public static readonly TimeSpan MinIdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Named in the greeting.</summary>
    public required string HostName { get; init; }

    /// <summary>The certificate for STLS; null when STLS is not offered.</summary>
    public Func<X509Certificate2>? Certificate { get; init; }

    /// <summary>Allows USER/PASS and AUTH PLAIN on connections without TLS. Off by default (RFC 8314).</summary>
    public bool AllowPlaintextAuth { get; init; }

    /// <summary>The longest command line accepted, without its CRLF. The default 512 accepts every
    /// command a client may send under RFC 2449 (255 octets) and also the SASL PLAIN responses with long
    /// passwords that RFC 5034 lets exceed that limit, while keeping what one line can hold small.</summary>
    public int MaxCommandLineLength { get; init; } = 512;

    /// <summary>Failed commands tolerated on one connection; the last one closes it.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>How long the server waits for a command, and for a client to take a reply, before it logs
    /// the client out without entering the UPDATE state.</summary>
    public TimeSpan IdleTimeout { get; init; } = MinIdleTimeout;

    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostName) || HostName.Any(c => c is < '!' or > '~'))
            throw new ArgumentException($"POP3 host name '{HostName}' must be printable ASCII without spaces.", nameof(HostName));
        if (MaxCommandLineLength is < MinCommandLineLength or > 64 * 1024)
            throw new ArgumentException($"POP3 MaxCommandLineLength {MaxCommandLineLength} must be between {MinCommandLineLength} (RFC 2449) and 65536.", nameof(MaxCommandLineLength));
        if (MaxErrors < 1)
            throw new ArgumentException($"POP3 MaxErrors {MaxErrors} must be at least 1.", nameof(MaxErrors));
        if (IdleTimeout < MinIdleTimeout)
            throw new ArgumentException($"POP3 IdleTimeout {IdleTimeout} must be at least {MinIdleTimeout} (RFC 1939 autologout).", nameof(IdleTimeout));
        if (TlsHandshakeTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"POP3 TlsHandshakeTimeout {TlsHandshakeTimeout} must be positive.", nameof(TlsHandshakeTimeout));
    }
}
