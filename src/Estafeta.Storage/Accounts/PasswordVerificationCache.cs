using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Estafeta.Storage;

/// <summary>
/// Remembers recent successful logins so a client that logs in every minute (POP3 polling, several IMAP
/// connections) does not pay for a full PBKDF2 computation each time.
/// </summary>
/// <remarks>
/// Key: (account id, HMAC-SHA256 of the password under a random key made at process start). Value: the stored
/// password hash it was verified against and when. A hit counts only while the account's stored hash is still
/// that same string (a password change invalidates it at once) and for at most <see cref="Lifetime"/>.
/// Only successes are cached, so a wrong password always costs a full PBKDF2 computation.
/// The trade-off: a copy of this process's memory holds fast digests of recently used passwords for up to
/// <see cref="Lifetime"/>; the stored hashes stay slow to attack. The cache holds at most
/// <see cref="Capacity"/> entries and is emptied when full.
/// </remarks>
internal sealed class PasswordVerificationCache
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<(long AccountId, string Digest), Entry> entries = new();

    public bool IsKnownGood(long accountId, string password, string storedHash, DateTimeOffset now) =>
        entries.TryGetValue((accountId, Digest(password)), out var entry)
        && string.Equals(entry.StoredHash, storedHash, StringComparison.Ordinal)
        && now - entry.VerifiedAt < Lifetime;

    public void RememberGood(long accountId, string password, string storedHash, DateTimeOffset now)
    {
        if (entries.Count >= Capacity)
        {
            entries.Clear();
        }

        entries[(accountId, Digest(password))] = new Entry(storedHash, now);
    }

    public void Forget(long accountId)
    {
        foreach (var k in entries.Keys)
        {
            if (k.AccountId == accountId)
            {
                entries.TryRemove(k, out _);
            }
        }
    }

    private string Digest(string password) => Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(password)));

    private sealed record Entry(string StoredHash, DateTimeOffset VerifiedAt);
}
