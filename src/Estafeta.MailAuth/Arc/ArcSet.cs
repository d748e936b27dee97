using System.Globalization;
using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Arc;

/// <summary>The three fields of one ARC instance as found in a message (RFC 8617 §4.1).</summary>
internal sealed record ArcSet(int Instance, HeaderField Results, HeaderField MessageSignature, HeaderField Seal, DkimTagList SignatureTags, DkimTagList SealTags);

/// <summary>Finds the ARC sets of a message and checks their form (RFC 8617 §5.2 steps 1-3):
/// every instance from 1 to N present exactly once with all three fields, N at most 50.</summary>
internal static class ArcChain
{
    public const int MaxInstances = 50;

    public static bool TryCollect(WireMessage message, out List<ArcSet> sets, out string problem)
    {
        sets = [];
        problem = string.Empty;
        var results = new Dictionary<int, HeaderField>();
        var signatures = new Dictionary<int, (HeaderField Field, DkimTagList Tags)>();
        var seals = new Dictionary<int, (HeaderField Field, DkimTagList Tags)>();
        foreach (var field in message.Headers)
        {
            var name = field.Name;
            if (name.Equals("ARC-Authentication-Results", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryResultsInstance(Value(message, field), out var instance)) return Fail(out problem, "an ARC-Authentication-Results field has no valid i= tag");
                if (!results.TryAdd(instance, field)) return Fail(out problem, $"two ARC-Authentication-Results fields have i={instance}");
            }
            else if (name.Equals("ARC-Message-Signature", StringComparison.OrdinalIgnoreCase) || name.Equals("ARC-Seal", StringComparison.OrdinalIgnoreCase))
            {
                var isSeal = name.Equals("ARC-Seal", StringComparison.OrdinalIgnoreCase);
                var label = isSeal ? "ARC-Seal" : "ARC-Message-Signature";
                if (!DkimTagList.TryParse(Value(message, field), out var tags, out var error)) return Fail(out problem, $"an {label} field is malformed: {error}");
                if (!TryInstance(tags["i"], out var instance)) return Fail(out problem, $"an {label} field has no valid i= tag");
                var target = isSeal ? seals : signatures;
                if (!target.TryAdd(instance, (field, tags))) return Fail(out problem, $"two {label} fields have i={instance}");
            }
        }
        var highest = results.Keys.Concat(signatures.Keys).Concat(seals.Keys).DefaultIfEmpty(0).Max();
        if (highest == 0) return true;
        if (highest > MaxInstances) return Fail(out problem, $"instance {highest} is beyond the limit of {MaxInstances}");
        for (var i = 1; i <= highest; i++)
        {
            if (!results.TryGetValue(i, out var aar)) return Fail(out problem, $"ARC set {i} has no ARC-Authentication-Results");
            if (!signatures.TryGetValue(i, out var ams)) return Fail(out problem, $"ARC set {i} has no ARC-Message-Signature");
            if (!seals.TryGetValue(i, out var seal)) return Fail(out problem, $"ARC set {i} has no ARC-Seal");
            sets.Add(new ArcSet(i, aar, ams.Field, seal.Field, ams.Tags, seal.Tags));
        }
        return true;
    }

    public static string Value(WireMessage message, HeaderField field)
    {
        var bytes = message.FieldBytes(field);
        return Encoding.UTF8.GetString(bytes[(bytes.IndexOf((byte)':') + 1)..]);
    }

    /// <summary>The i= at the start of an ARC-Authentication-Results value.</summary>
    private static bool TryResultsInstance(string value, out int instance)
    {
        instance = 0;
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon < 0) return false;
        var tag = value[..semicolon];
        var equals = tag.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && DkimTagList.Trim(tag[..equals]) == "i" && TryInstance(tag[(equals + 1)..], out instance);
    }

    private static bool TryInstance(string? value, out int instance)
    {
        instance = 0;
        return value is not null
            && int.TryParse(DkimTagList.Trim(value), NumberStyles.None, CultureInfo.InvariantCulture, out instance)
            && instance >= 1;
    }

    private static bool Fail(out string problem, string message)
    {
        problem = message;
        return false;
    }
}
