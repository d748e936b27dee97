using System.Collections.Concurrent;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Key records by their TXT text, each parsed once and its key imported once, so that
/// verifying many messages from one sender does that work once (an RSA import costs more than the
/// verification itself). Bounded: when full it starts over. Cached keys are shared and never disposed
/// by their users.</summary>
internal sealed class DkimPublicKeyCache(int capacity = 1024)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The entry found last. A resolver answering from its cache hands back the same string each
    /// time, so comparing references spares hashing a key record of several hundred characters.</summary>
    private volatile Entry? last;

    /// <summary>The record a TXT value holds, or null with the reason it is not a usable key record.</summary>
    public Entry? Parse(string text, out string error)
    {
        error = string.Empty;
        if (last is { } recent && ReferenceEquals(recent.Text, text)) return recent;
        if (entries.TryGetValue(text, out var cached))
        {
            last = cached;
            return cached;
        }
        if (!DkimPublicKeyRecord.TryParse(text, out var record, out error)) return null;
        if (entries.Count >= capacity) entries.Clear();
        return last = entries.GetOrAdd(text, new Entry(text, record!));
    }

    internal sealed class Entry(string text, DkimPublicKeyRecord record)
    {
        private DkimKeyLookup? found;

        /// <summary>The TXT value the record was read from.</summary>
        public string Text => text;

        /// <summary>The successful lookup of this record, made once.</summary>
        public DkimKeyLookup Found => found ??= new(this, DkimStatus.Pass, string.Empty);

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
