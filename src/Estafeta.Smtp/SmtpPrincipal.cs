namespace Estafeta.Smtp;

/// <summary>The account a client logged in as with AUTH.</summary>
public sealed record SmtpPrincipal(long AccountId, string Login);
