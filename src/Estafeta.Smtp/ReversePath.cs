namespace Estafeta.Smtp;

/// <summary>
/// The sender of a transaction (MAIL FROM) with its parameters. <see cref="Address"/> is "" for the
/// null reverse-path &lt;&gt; used by bounces; a source route is dropped. Parameters not given are null.
/// </summary>
public sealed record ReversePath(string Address)
{
    public bool IsNull => Address.Length == 0;

    /// <summary>The domain after the last "@" ("" for the null sender).</summary>
    public string Domain => MailboxParts.Domain(Address);

    /// <summary>SIZE= (RFC 1870): the size the client announced.</summary>
    public long? Size { get; init; }

    /// <summary>BODY= (RFC 6152).</summary>
    public BodyType? Body { get; init; }

    /// <summary>SMTPUTF8 (RFC 6531): addresses and header fields may be UTF-8.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>RET= (RFC 3461).</summary>
    public DsnReturn? Return { get; init; }

    /// <summary>ENVID= (RFC 3461), xtext-decoded.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>AUTH= (RFC 4954 §5), xtext-decoded; "" stands for AUTH=&lt;&gt;. From a client that is not
    /// logged in the engine keeps only "" (the identity is not trusted).</summary>
    public string? Auth { get; init; }
}
