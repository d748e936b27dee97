using Estafeta.MailAuth.Dkim;
using Estafeta.Storage;

namespace Estafeta.Mail.Tests.Authentication;

/// <summary>DKIM keys made once for the test run (RSA generation is slow).</summary>
public static class TestKeys
{
    public static DkimPrivateKey Rsa { get; } = DkimPrivateKey.GenerateRsa(2048);
    public static DkimPrivateKey OtherRsa { get; } = DkimPrivateKey.GenerateRsa(2048);
    public static DkimPrivateKey Ed25519 { get; } = DkimPrivateKey.GenerateEd25519();

    public static DkimKeyInfo Info(string selector, string algorithm, DkimKeyState state = DkimKeyState.Active, string domain = "ejemplo.test") =>
        new(1, domain, selector, algorithm, state, DateTimeOffset.UnixEpoch, null, null, null);

    public static IReadOnlyList<(DkimKeyInfo, DkimPrivateKey)> Pair(string domain = "ejemplo.test") =>
    [
        (Info("e202611r", "rsa-sha256", domain: domain), Rsa),
        (Info("e202611e", "ed25519-sha256", domain: domain), Ed25519),
    ];
}
