using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MimeKit;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Makes DKIM-Signature fields (RFC 6376; rsa-sha256 and ed25519-sha256 per RFC 8463) for
/// one or more keys; with two keys of different types the message is dual-signed. The signer
/// hashes the exact bytes given and returns the fields to put in front of them, so a sender can
/// prepend them to the message it already holds without serialising it again. Thread-safe.</summary>
public sealed class DkimSigner
{
    private readonly IReadOnlyList<DkimSigningKey> keys;
    private readonly DkimSignerOptions options;
    private readonly TimeProvider clock;
    /// <summary>The signed fields' names as h= writes them (lower case), and whether each is over-signed.</summary>
    private readonly (string Name, string Written, bool OverSigned)[] signedFields;
    private readonly string canonicalization;

    public DkimSigner(IEnumerable<DkimSigningKey> keys, DkimSignerOptions? options = null, TimeProvider? clock = null)
    {
        this.keys = keys.ToArray();
        if (this.keys.Count == 0) throw new ArgumentException("At least one signing key is needed.", nameof(keys));
        this.options = options ?? DkimSignerOptions.Default;
        this.clock = clock ?? TimeProvider.System;
        foreach (var key in this.keys)
        {
            if (!DkimSignature.IsDomainName(key.Domain)) throw new ArgumentException($"\"{key.Domain}\" is not a domain name (use the A-label form).", nameof(keys));
            if (!DkimSignature.IsDomainName(key.Selector)) throw new ArgumentException($"\"{key.Selector}\" is not a valid selector.", nameof(keys));
            if (key.Identity is { } identity && !IsWithin(identity[(identity.LastIndexOf('@') + 1)..], key.Domain))
                throw new ArgumentException($"i={identity} must be in d={key.Domain} or a subdomain of it.", nameof(keys));
        }
        if (!this.options.SignedHeaders.Contains("From", StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException("The signed header fields must include From (RFC 6376 §5.4).", nameof(options));
        signedFields = [.. this.options.SignedHeaders.Select(name =>
            (name, name.ToLowerInvariant(), this.options.OverSignedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)))];
        canonicalization = Name(this.options.HeaderCanonicalization) + "/" + Name(this.options.BodyCanonicalization);
    }

    public DkimSigner(DkimSigningKey key, DkimSignerOptions? options = null, TimeProvider? clock = null)
        : this([key], options, clock)
    {
    }

    /// <summary>The DKIM-Signature field(s), each ending in CRLF, for a message in wire form
    /// (a bare LF is treated as CRLF, as it will be on the wire).</summary>
    public string Sign(ReadOnlyMemory<byte> message) => Joined(SignFields(message));

    /// <summary>The signed message: the DKIM-Signature field(s) followed by the message bytes.</summary>
    public byte[] SignAndPrepend(ReadOnlyMemory<byte> message)
    {
        message = LineEnds.ToCrlf(message);
        var fields = Encoding.UTF8.GetBytes(Sign(message));
        return [.. fields, .. message.Span];
    }

    /// <summary>Reads the message from a stream, then signs it like <see cref="Sign(ReadOnlyMemory{byte})"/>.</summary>
    public async Task<string> SignAsync(Stream message, CancellationToken ct = default) =>
        Sign(await WireBytes.ReadAllAsync(message, ct).ConfigureAwait(false));

    /// <summary>Signs the message as <paramref name="format"/> writes it (CRLF line ends are forced).
    /// Send it with the same options, or the signature will not match.</summary>
    public string Sign(MimeMessage message, FormatOptions? format = null) => Joined(SignFields(WireBytes.FromMimeMessage(message, format)));

    private static string Joined(IReadOnlyList<string> fields) => fields.Count == 1 ? fields[0] : string.Concat(fields);

    /// <summary>Signs the message and inserts the DKIM-Signature field(s) at the top of its header.</summary>
    public void AddSignatures(MimeMessage message, FormatOptions? format = null)
    {
        var fields = SignFields(WireBytes.FromMimeMessage(message, format));
        for (var i = fields.Count - 1; i >= 0; i--)
        {
            if (!Header.TryParse(Encoding.UTF8.GetBytes(fields[i]), out var header))
                throw new InvalidOperationException("MimeKit could not parse a DKIM-Signature field this signer wrote.");
            message.Headers.Insert(0, header);
        }
    }

    internal IReadOnlyList<string> SignFields(ReadOnlyMemory<byte> message)
    {
        var wire = WireMessage.Parse(message);
        var (bodyHash, _) = wire.HashBody(options.BodyCanonicalization);
        Span<byte> bodyHashBase64 = stackalloc byte[44];
        Base64.EncodeToUtf8(bodyHash, bodyHashBase64, out _, out var encoded);
        var signedHeaders = HeaderList(wire);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var fields = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++) fields[i] = SignOne(wire, keys[i], signedHeaders, bodyHashBase64[..encoded], timestamp);
        return fields;
    }

    private string SignOne(WireMessage wire, DkimSigningKey key, List<string> signedHeaders, ReadOnlySpan<byte> bodyHash, long timestamp)
    {
        using var writer = new SignatureFieldWriter();
        writer.Tag("v", "1"u8);
        writer.Tag("a", key.Key.Algorithm.ToTagValue());
        writer.Tag("c", canonicalization);
        writer.Tag("d", key.Domain);
        writer.Tag("s", key.Selector);
        if (key.Identity is { } identity) writer.Tag("i", identity);
        Span<byte> number = stackalloc byte[20];
        if (options.IncludeTimestamp && timestamp.TryFormat(number, out var written, default, CultureInfo.InvariantCulture))
            writer.Tag("t", number[..written]);
        if (options.Expiration is { } lifetime
            && (timestamp + (long)Math.Ceiling(lifetime.TotalSeconds)).TryFormat(number, out written, default, CultureInfo.InvariantCulture))
            writer.Tag("x", number[..written]);
        writer.HeaderList(signedHeaders);
        writer.Tag("bh", bodyHash);
        var digest = HeaderSelection.HeaderDigest(wire, CollectionsMarshal.AsSpan(signedHeaders), options.HeaderCanonicalization, writer.BeginSignatureBytes());
        return writer.EndSignature(key.Key.SignDigest(digest));
    }

    /// <summary>Completes a DKIM-Signature field whose layout the caller wrote, ending in "b=":
    /// its c= and h= decide what is hashed. Used to reproduce published signatures exactly.</summary>
    internal static string CompleteField(ReadOnlyMemory<byte> message, string unsignedField, DkimPrivateKey key)
    {
        var wire = WireMessage.Parse(message);
        var value = unsignedField[(unsignedField.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (!DkimTagList.TryParse(value, out var tags, out var error)) throw new FormatException(error);
        var headerCanonicalization = tags["c"] is { } c && c.StartsWith("relaxed", StringComparison.OrdinalIgnoreCase)
            ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        var names = tags["h"]!.Split(':').Select(DkimTagList.Trim).ToArray();
        var unsigned = Encoding.UTF8.GetBytes(unsignedField);
        var digest = HeaderSelection.HeaderDigest(wire, names, headerCanonicalization, unsigned, removeSignatureValue: true);
        return unsignedField + Convert.ToBase64String(key.SignDigest(digest));
    }

    /// <summary>h=: each signed field as often as it occurs, plus once more when over-signed.</summary>
    private List<string> HeaderList(WireMessage wire)
    {
        var names = new List<string>(signedFields.Length * 2);
        foreach (var (name, written, overSigned) in signedFields)
        {
            var count = HeaderSelection.Count(wire, name);
            if (overSigned) count++;
            for (var i = 0; i < count; i++) names.Add(written);
        }
        return names;
    }

    private static bool IsWithin(string identityDomain, string domain) =>
        identityDomain.Equals(domain, StringComparison.OrdinalIgnoreCase) || identityDomain.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    private static string Name(DkimCanonicalization canonicalization) =>
        canonicalization == DkimCanonicalization.Relaxed ? "relaxed" : "simple";
}
