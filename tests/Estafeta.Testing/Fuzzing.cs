using System.Globalization;
using System.Text;

namespace Estafeta.Testing;

/// <summary>Seeded random input for the fuzz tests of every project. Each test runs a modest number of cases so the
/// suite stays quick; ESTAFETA_FUZZ_ITERATIONS multiplies them (and moves the seeds) for a long local hunt.</summary>
public static class Fuzzing
{
    public static int Multiplier { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("ESTAFETA_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;

    /// <summary>The iteration count for a test, scaled by the multiplier.</summary>
    public static int Iterations(int baseline) => baseline * Multiplier;

    /// <summary>One generator per case, seeded from the test's seed and the case number, so a failing case
    /// is replayed by its number alone.</summary>
    public static Random For(int seed, int iteration) => new(Mix(seed, iteration));

    /// <summary>A fixed mix of numbers (HashCode.Combine and string hash codes change from run to run).</summary>
    public static int Mix(params int[] values)
    {
        var hash = 2166136261u;
        foreach (var value in values)
        {
            hash = (hash ^ (uint)value) * 16777619u;
            hash ^= hash >> 15;
        }

        return (int)(hash & int.MaxValue);
    }

    /// <summary>A fixed hash of a text, letters in any case alike.</summary>
    public static int Hash(string text) => Mix([.. text.ToLowerInvariant().Select(c => (int)c)]);

    /// <summary>Runs <paramref name="body"/> for each case and names the case (and its input) when one fails.</summary>
    public static void Run(int seed, int baseline, Func<Random, string> describe, Action<Random> body)
    {
        var iterations = Iterations(baseline);
        for (var i = 0; i < iterations; i++)
        {
            try
            {
                body(For(seed, i));
            }
            catch (Exception e)
            {
                throw new FuzzFailure($"case {i} of seed {seed}: {describe(For(seed, i))}", e);
            }
        }
    }

    public static async Task RunAsync(int seed, int baseline, Func<Random, string> describe, Func<Random, Task> body)
    {
        var iterations = Iterations(baseline);
        for (var i = 0; i < iterations; i++)
        {
            try
            {
                await body(For(seed, i));
            }
            catch (Exception e)
            {
                throw new FuzzFailure($"case {i} of seed {seed}: {describe(For(seed, i))}", e);
            }
        }
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>Characters that break parsers: controls, folding whitespace, 8-bit and multi-byte text,
    /// lone surrogates, characters whose case mappings leave ASCII.</summary>
    private static readonly string[] Awkward =
    [
        "\0", "\r", "\n", "\r\n", "\t", " ", "\u00a0", "\u0130", "\u0131", "\u017f", "\u212a", "\u00e9", "\u00ff",
        "\ud800", "\udc00", "\ud83d\ude00", "\u200b", "\ufeff", "\uffff", "\ufffe", "\u2028", "\u0085", "\u3002", "\uff0e", "\x7f", "\x1b",
    ];

    public static string AwkwardText(this Random random) => random.Pick(Awkward);

    /// <summary>A short string of printable ASCII, sometimes with an awkward character.</summary>
    public static string Word(this Random random, int maxLength = 12)
    {
        var text = new StringBuilder();
        var length = random.Next(maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            if (random.Chance(0.03)) text.Append(random.AwkwardText());
            else text.Append((char)random.Next('!', '~' + 1));
        }
        return text.ToString();
    }

    /// <summary>A random edit of <paramref name="text"/>: a deletion, insertion, duplication, swap, an awkward
    /// character, a token from <paramref name="tokens"/>, truncation or case change.</summary>
    public static string Mutate(this Random random, string text, IReadOnlyList<string> tokens)
    {
        var builder = new StringBuilder(text);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(9))
            {
                case 0 when builder.Length > 0:
                    var count = Math.Min(builder.Length - Math.Min(at, builder.Length - 1), 1 + random.Next(8));
                    builder.Remove(Math.Min(at, builder.Length - 1), count);
                    break;
                case 1:
                    builder.Insert(at, random.AwkwardText());
                    break;
                case 2:
                    builder.Insert(at, random.Pick(tokens));
                    break;
                case 3 when builder.Length > 0:
                    var start = random.Next(builder.Length);
                    var length = Math.Min(builder.Length - start, 1 + random.Next(16));
                    builder.Insert(at, builder.ToString(start, length));
                    break;
                case 4 when builder.Length > 1:
                    var i = random.Next(builder.Length - 1);
                    (builder[i], builder[i + 1]) = (builder[i + 1], builder[i]);
                    break;
                case 5 when builder.Length > 0:
                    builder.Length = random.Next(builder.Length);
                    break;
                case 6 when builder.Length > 0:
                    var j = random.Next(builder.Length);
                    builder[j] = char.IsAsciiLetterLower(builder[j]) ? char.ToUpperInvariant(builder[j]) : char.ToLowerInvariant(builder[j]);
                    break;
                case 7:
                    builder.Insert(at, (char)random.Next(0x20, 0x7f));
                    break;
                default:
                    builder.Insert(at, random.Word(4));
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A random edit of octets: bit flips, truncation, deletion, insertion of CR, LF, NUL or 8-bit octets,
    /// duplication of a run.</summary>
    public static byte[] Mutate(this Random random, byte[] data)
    {
        var bytes = new List<byte>(data);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    var flip = random.Next(bytes.Count);
                    bytes[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    var from = random.Next(bytes.Count);
                    bytes.RemoveRange(from, Math.Min(bytes.Count - from, 1 + random.Next(32)));
                    break;
                case 2:
                    bytes.InsertRange(at, random.Pick<byte[]>([[13], [10], [13, 10], [0], [0x80], [0xff], [0xc3, 0xa9], [32, 13, 10], [13, 10, 32], [9]]));
                    break;
                case 3 when bytes.Count > 0:
                    var start = random.Next(bytes.Count);
                    var length = Math.Min(bytes.Count - start, 1 + random.Next(64));
                    bytes.InsertRange(at, bytes.GetRange(start, length));
                    break;
                case 4 when bytes.Count > 0:
                    var cut = random.Next(bytes.Count);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 5 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>The text with every character outside printable ASCII written as \uXXXX, for failure messages.</summary>
    public static string Show(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));

    public static string Show(byte[] bytes) => Show(Encoding.Latin1.GetString(bytes));
}

public sealed class FuzzFailure(string message, Exception inner) : Exception(message, inner);
