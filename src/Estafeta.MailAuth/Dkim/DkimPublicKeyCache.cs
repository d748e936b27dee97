using System.Collections.Concurrent;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Key records by their TXT text, each parsed once and its key imported once, so that
/// verifying many messages from one sender does that work once (an RSA import costs more than the
/// verification itself). Bounded: when full it starts over. Cached keys are shared and never disposed
/// by their users.</summary>
internal sealed class DkimPublicKeyCache(int capacity = 1024)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The record a TXT value holds, or null with the reason it is not a usable key record.</summary>
    public Entry? Parse(string text, out string error)
    {
        if (entries.TryGetValue(text, out var cached))
        {
            error = string.Empty;
            return cached;
        }
        if (!DkimPublicKeyRecord.TryParse(text, out var record, out error)) return null;
        if (entries.Count >= capacity) entries.Clear();
        return entries.GetOrAdd(text, new Entry(record!));
    }

    internal sealed class Entry(DkimPublicKeyRecord record)
    {
        private readonly Lazy<(DkimPublicKey? Key, string Error)> imported = new(() =>
        {
            var key = DkimPublicKey.Import(record, out var error);
            return (key, error);
        });

        public DkimPublicKeyRecord Record => record;

        /// <summary>The key p= holds, imported on first use; null with the reason when it is not one.</summary>
        public DkimPublicKey? Key(out string error)
        {
            (var key, error) = imported.Value;
            return key;
        }
    }
}
