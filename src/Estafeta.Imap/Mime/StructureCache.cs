namespace Estafeta.Imap.Mime;

/// <summary>
/// Parsed messages shared by every session, keyed by the store's content id (equal ids, equal octets), so ENVELOPE
/// and BODYSTRUCTURE are parsed once per message however many times clients ask. Bounded: the least recently used
/// entry goes when it is full.
/// </summary>
internal sealed class StructureCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, MessageNode Value)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, MessageNode Value)> _order = new();

    public int Count
    {
        get { lock (_lock) return _index.Count; }
    }

    public MessageNode? Get(string key)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    public void Add(string key, MessageNode value)
    {
        if (capacity == 0) return;
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
                _index.Remove(key);
            }
            _index[key] = _order.AddFirst((key, value));
            while (_index.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
    }
}
