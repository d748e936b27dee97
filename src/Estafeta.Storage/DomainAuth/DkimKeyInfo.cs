namespace Estafeta.Storage;

/// <summary>Where a DKIM key is in its life: published and waiting to be seen in DNS, signing, or kept
/// in DNS for a grace period after a newer key replaced it.</summary>
public enum DkimKeyState
{
    Pending,
    Active,
    Retired,
}

/// <summary>The metadata of one DKIM key of a sending domain (the private key itself is a file,
/// <c>DATA/dkim/DOMAIN/SELECTOR.pem</c>). <see cref="Algorithm"/> is the a= value: rsa-sha256 or ed25519-sha256.</summary>
public sealed record DkimKeyInfo(
    long Id,
    string Domain,
    string Selector,
    string Algorithm,
    DkimKeyState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? PublishedSeenAt);
