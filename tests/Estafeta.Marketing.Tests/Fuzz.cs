using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>
/// Deterministic random input for the fuzz tests: each test takes a <see cref="Random"/> with a fixed seed, so a failure
/// is the same on every run and its input is printed. ESTAFETA_FUZZ_ITERATIONS multiplies every test's iteration count
/// (default 1, which keeps the whole set to a few seconds); set it to 100 or more to hunt for bugs locally.
/// </summary>
internal static class Fuzz
{
    public static int Multiplier => Estafeta.Testing.Fuzzing.Multiplier;

    /// <summary>How many iterations a test runs: its own count, times the multiplier.</summary>
    public static int Iterations(int count) => count * Multiplier;

    /// <summary>Characters that tend to break text handling: ASCII punctuation the parsers treat specially, spaces of several
    /// kinds, controls and NUL, Latin-1, combining accents, case-mapping oddities (İ ı K ß ſ ǅ), full-width forms,
    /// right-to-left letters, a lone surrogate of each half and an emoji outside the BMP.</summary>
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "9", " ", "\t", "\r", "\n", "\r\n", "\0", "\u0001", "\u007f", "\u0085", "\u00a0", "\u2028", "\u3000", "\ufeff",
        "\"", "'", "\\", ",", ";", "|", ":", "(", ")", "@", ".", "-", "_", "+", "=", "!", "<", ">", "%", "*", "#", "[", "]", "{", "}",
        "é", "É", "ñ", "Ñ", "ü", "\u0301", "\u0303", "İ", "ı", "\u212a", "\u212b", "ß", "ẞ", "ſ", "ǅ", "ﬀ", "Ａ", "＠", "。", "ά",
        "א", "ب", "中", "日本", "\ud83d\ude00", "\ud800", "\udc00", "\ufffe", "xn--", "ÿ", "\u00ad", "\u200d", "\u0130\u0307",
    ];

    /// <summary>A string of up to <paramref name="maxPieces"/> pieces: mostly ASCII letters and digits, with the odd pieces above.</summary>
    public static string Text(Random random, int maxPieces = 12)
    {
        var text = new StringBuilder();
        var count = random.Next(maxPieces + 1);
        for (var i = 0; i < count; i++)
        {
            text.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : ((char)(random.Next(2) == 0 ? 'a' + random.Next(26) : '0' + random.Next(10))).ToString());
        }

        return text.ToString();
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Whether <paramref name="call"/> took its input: false when it refused it with <see cref="InvalidInputException"/>,
    /// the documented refusal; any other exception fails the test, naming <paramref name="what"/>.</summary>
    public static bool Accepts<T>(Func<T> call, string what, out T result)
    {
        try
        {
            result = call();
            return true;
        }
        catch (InvalidInputException)
        {
            result = default!;
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what} threw {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    /// <summary>A fixed-seed case's description for an assertion message.</summary>
    public static string Show(string text) =>
        "\"" + string.Concat(text.Select(c => c is >= ' ' and < '\u007f' && c != '"' && c != '\\' ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";
}
