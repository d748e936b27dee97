namespace Estafeta.Smtp.Session;

/// <summary>What the session does after a command: read the next one, or close with a reason for the log.</summary>
internal readonly record struct SessionStep(string? CloseReason)
{
    public static SessionStep Continue => default;

    public static SessionStep Close(string reason) => new(reason);

    public bool Closes => CloseReason is not null;
}
