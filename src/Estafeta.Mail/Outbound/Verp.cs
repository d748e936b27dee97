using System.Security.Cryptography;
using System.Text;

namespace Estafeta.Mail.Outbound;

/// <summary>What a VERP return path names: one queued message (its queue id and the time it was queued, which
/// together never repeat) and one of its recipients.</summary>
public sealed record VerpToken(long QueueId, DateTimeOffset QueuedAt, long RecipientId);

/// <summary>
/// VERP return paths <c>bounce+Q-T-R-MAC@sending-domain</c>: queue id, queue time (Unix ms) and recipient id in
/// base 36, and an HMAC-SHA256 of them (80 bits, base 32) under the installation's secret key
/// (<c>DATA/verp.key</c>, 32 random bytes, mode 0600, made at first use). Lower case only: some servers fold the
/// case of local parts. A bounce to an address whose MAC does not verify is not ours and is refused.
/// </summary>
public sealed class Verp
{
    public const string Prefix = "bounce+";
    public const string KeyFileName = "verp.key";
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key;

    public Verp(byte[] key) => _key = key;

    /// <summary>Reads the key file in <paramref name="dataDirectory"/>, creating it (mode 0600) when missing.</summary>
    public static Verp LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temp, options))
            {
                file.Write(key);
                file.Flush(flushToDisk: true);
            }
            try { File.Move(temp, path, overwrite: false); }
            catch (IOException) { File.Delete(temp); }
        }
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16) throw new InvalidOperationException($"{path} is too short to be a VERP key (delete it to make a new one)");
        return new Verp(bytes);
    }

    /// <summary>The return path for one recipient of a message from <paramref name="senderDomain"/>.</summary>
    public string ReturnPath(string senderDomain, VerpToken token) => $"{Prefix}{Encode(token)}@{senderDomain.ToLowerInvariant()}";

    public string Encode(VerpToken token)
    {
        var payload = string.Join('-', ToBase36(token.QueueId), ToBase36(token.QueuedAt.ToUnixTimeMilliseconds()), ToBase36(token.RecipientId));
        return payload + "-" + Mac(payload);
    }

    /// <summary>True when <paramref name="address"/> is a VERP address of ours with a valid signature.</summary>
    public bool TryRead(string address, out VerpToken token)
    {
        token = null!;
        var at = address.LastIndexOf('@');
        var local = (at < 0 ? address : address[..at]).ToLowerInvariant();
        if (!local.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = local[Prefix.Length..].Split('-');
        if (parts.Length != 4) return false;
        var payload = string.Join('-', parts[0], parts[1], parts[2]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(payload)), Encoding.ASCII.GetBytes(parts[3]))) return false;
        if (!TryBase36(parts[0], out var q) || !TryBase36(parts[1], out var t) || !TryBase36(parts[2], out var r)) return false;
        token = new VerpToken(q, DateTimeOffset.FromUnixTimeMilliseconds(t), r);
        return true;
    }

    /// <summary>True for a local part that looks like VERP (signed or not).</summary>
    public static bool LooksLikeVerp(string address) => address.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    private string Mac(string payload)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload), hash);
        var b = new StringBuilder(16);
        for (var i = 0; i < 16; i++)
        {
            var bit = i * 5;
            var value = ((hash[bit / 8] << 8) | hash[bit / 8 + 1]) >> (11 - bit % 8) & 31;
            b.Append(Base32[value]);
        }
        return b.ToString();
    }

    private static string ToBase36(long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value));
        if (value == 0) return "0";
        var b = new StringBuilder();
        while (value > 0) { b.Insert(0, "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(value % 36)]); value /= 36; }
        return b.ToString();
    }

    private static bool TryBase36(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 12) return false;
        foreach (var c in text)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (digit < 0) return false;
            value = value * 36 + digit;
        }
        return true;
    }
}
