using System.Collections.Immutable;

namespace Estafeta.Smtp.Session;

/// <summary>What the client said in HELO or EHLO.</summary>
internal readonly record struct Helo(string Name, bool Esmtp);

/// <summary>Where a session stands; each state carries what it needs. TLS and the login are properties
/// of the connection, not of these states (STARTTLS resets both, RFC 3207 §4.2).</summary>
internal abstract record SessionState;

/// <summary>Greeted by the server; no HELO/EHLO yet (also right after STARTTLS).</summary>
internal sealed record Connected : SessionState
{
    public static Connected Instance { get; } = new();
}

/// <summary>Every state after HELO/EHLO.</summary>
internal abstract record AfterHelo(Helo Helo) : SessionState;

/// <summary>HELO/EHLO done, no mail transaction.</summary>
internal sealed record Greeted(Helo Helo) : AfterHelo(Helo);

/// <summary>MAIL accepted, no recipient accepted yet.</summary>
internal sealed record MailStarted(Helo Helo, ReversePath From) : AfterHelo(Helo);

/// <summary>MAIL and at least one RCPT accepted.</summary>
internal sealed record RecipientsAdded(Helo Helo, ReversePath From, ImmutableArray<ForwardPath> Recipients) : AfterHelo(Helo);
