using System.Collections.Concurrent;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Imported public keys by key type and key bytes, so that verifying many messages from one
/// sender imports its key once (an RSA import costs more than the verification itself). Bounded: when
/// full it starts over. Cached keys are shared and never disposed by their users.</summary>
internal sealed class DkimPublicKeyCache(int capacity = 1024)
{
    private readonly ConcurrentDictionary<string, DkimPublicKey> _keys = new(StringComparer.Ordinal);

    public DkimPublicKey? Get(DkimPublicKeyRecord record, out string error)
    {
        var id = record.KeyType + ":" + Convert.ToBase64String(record.PublicKey);
        if (_keys.TryGetValue(id, out var cached))
        {
            error = string.Empty;
            return cached;
        }
        var key = DkimPublicKey.Import(record, out error);
        if (key is null) return null;
        if (_keys.Count >= capacity) _keys.Clear();
        return _keys.GetOrAdd(id, key);
    }
}
