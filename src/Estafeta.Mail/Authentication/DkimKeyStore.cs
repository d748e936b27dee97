using System.Collections.Concurrent;
using Estafeta.MailAuth.Dkim;
using Estafeta.Storage;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// The DKIM keys of the sending domains: private keys as PEM files <c>DATA/dkim/DOMAIN/SELECTOR.pem</c>
/// readable by the owner only (mode 0600, folder 0700), their metadata in the database. Each domain signs
/// with one active RSA-2048 and one active Ed25519 key. A rotation adds a pending pair that becomes active
/// once its record is seen in DNS; the key it replaces stays published for <see cref="GracePeriod"/>.
/// </summary>
public sealed class DkimKeyStore
{
    /// <summary>How long a replaced key stays in the records to publish (mail signed with it may still be in transit).</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(7);

    private static readonly TimeSpan ActiveKeysLifetime = TimeSpan.FromSeconds(30);

    private readonly DkimKeyTable _table;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, DkimPrivateKey> _privateKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Loaded, IReadOnlyList<DkimSigningKey> Keys)> _active = new(StringComparer.Ordinal);

    public DkimKeyStore(Database db, TimeProvider clock)
    {
        _table = new DkimKeyTable(db);
        _clock = clock;
        KeyDirectory = Path.Combine(db.DataDirectory, "dkim");
    }

    /// <summary><c>DATA/dkim</c>.</summary>
    public string KeyDirectory { get; }

    public string PathOf(string domain, string selector) => Path.Combine(KeyDirectory, domain, selector + ".pem");

    /// <summary>Every key of the domain, newest first.</summary>
    public Task<IReadOnlyList<DkimKeyInfo>> ListAsync(string domain, CancellationToken ct = default) =>
        _table.ListAsync(MailAddressCanonical.Domain(domain), ct);

    /// <summary>The first keys of a new sending domain: RSA-2048 and Ed25519, active at once (nothing leaves
    /// unsigned; until the records are published receivers see the signatures as unverifiable).</summary>
    public Task<IReadOnlyList<DkimKeyInfo>> CreateInitialKeysAsync(string domain, CancellationToken ct = default) =>
        CreatePairAsync(MailAddressCanonical.Domain(domain), DkimKeyState.Active, ct);

    /// <summary>Starts a rotation: a new pending pair. Refused while an earlier rotation still waits to be seen in DNS.</summary>
    public async Task<IReadOnlyList<DkimKeyInfo>> RotateAsync(string domain, CancellationToken ct = default)
    {
        var name = MailAddressCanonical.Domain(domain);
        var pending = (await _table.ListAsync(name, ct)).Where(k => k.State == DkimKeyState.Pending).ToList();
        if (pending.Count > 0)
            throw new ConflictException($"{name} already has new keys waiting to be published ({string.Join(", ", pending.Select(k => k.Selector))}); publish them and run: estafeta domain check {name}");
        return await CreatePairAsync(name, DkimKeyState.Pending, ct);
    }

    /// <summary>The keys that sign mail from <paramref name="domain"/> now (RSA first); empty when it has none.</summary>
    public async Task<IReadOnlyList<DkimSigningKey>> SigningKeysAsync(string domain, CancellationToken ct = default)
    {
        var name = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var now = _clock.GetUtcNow();
        if (_active.TryGetValue(name, out var cached) && now - cached.Loaded < ActiveKeysLifetime) return cached.Keys;
        var keys = (await _table.ListAsync(name, ct))
            .Where(k => k.State == DkimKeyState.Active)
            .OrderBy(k => k.Algorithm == "rsa-sha256" ? 0 : 1)
            .Where(k => File.Exists(PathOf(k.Domain, k.Selector)))
            .Select(k => new DkimSigningKey(k.Domain, k.Selector, PrivateKey(k)))
            .ToList();
        _active[name] = (now, keys);
        return keys;
    }

    /// <summary>The private key of <paramref name="key"/>, read from its file once per process.</summary>
    public DkimPrivateKey PrivateKey(DkimKeyInfo key) =>
        _privateKeys.GetOrAdd(key.Domain + "/" + key.Selector, _ => DkimPrivateKey.LoadFile(PathOf(key.Domain, key.Selector)));

    /// <summary>The keys whose records must be in DNS now: active and pending ones, and retired ones in their grace period.</summary>
    public IReadOnlyList<DkimKeyInfo> Published(IEnumerable<DkimKeyInfo> keys) =>
        [.. keys.Where(k => k.State != DkimKeyState.Retired || (k.RetiredAt is { } retired && _clock.GetUtcNow() - retired < GracePeriod))];

    /// <summary>A pending key was seen in DNS: it signs from now on and the key it replaces is retired.</summary>
    public async Task<bool> ActivateAsync(DkimKeyInfo key, CancellationToken ct = default)
    {
        var activated = await _table.ActivateAsync(key.Id, ct);
        _active.TryRemove(key.Domain, out _);
        return activated;
    }

    public Task MarkPublishedSeenAsync(DkimKeyInfo key, CancellationToken ct = default) => _table.MarkPublishedSeenAsync(key.Id, ct);

    /// <summary>Domains with a rotation waiting to be seen in DNS.</summary>
    public Task<IReadOnlyList<string>> DomainsWithPendingKeysAsync(CancellationToken ct = default) => _table.DomainsWithPendingKeysAsync(ct);

    private async Task<IReadOnlyList<DkimKeyInfo>> CreatePairAsync(string domain, DkimKeyState state, CancellationToken ct)
    {
        var taken = (await _table.ListAsync(domain, ct)).Select(k => k.Selector).ToList();
        var now = _clock.GetUtcNow();
        var rsaSelector = DkimSelectors.Next(now, rsa: true, taken);
        var edSelector = DkimSelectors.Next(now, rsa: false, taken);
        var folder = Path.Combine(KeyDirectory, domain);
        CreatePrivateFolder(KeyDirectory);
        CreatePrivateFolder(folder);
        using (var rsa = DkimPrivateKey.GenerateRsa(2048)) rsa.SaveFile(PathOf(domain, rsaSelector));
        using (var ed = DkimPrivateKey.GenerateEd25519()) ed.SaveFile(PathOf(domain, edSelector));
        var created = new List<DkimKeyInfo>
        {
            await _table.AddAsync(domain, rsaSelector, "rsa-sha256", state, ct),
            await _table.AddAsync(domain, edSelector, "ed25519-sha256", state, ct),
        };
        _active.TryRemove(domain, out _);
        return created;
    }

    private static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
