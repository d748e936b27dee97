namespace Estafeta.Smtp.Auth;

/// <summary>A login and password from an AUTH exchange. <see cref="ToString"/> never shows the password.</summary>
internal readonly struct Credentials(string login, string password)
{
    public string Login { get; } = login;
    public string Password { get; } = password;

    public override string ToString() => $"Credentials({Login})";
}
