using System.Diagnostics;
using System.Globalization;

namespace Estafeta.Bench;

/// <summary>DKIM sign and verify rates beside `openssl speed`, measured in alternation within one process: after
/// the warm-up, each pair measures ours for one slice of CPU time per operation and runs `openssl speed` for the
/// same primitives and SHA-256, the order swapped from one pair to the next. The machine is a shared
/// virtual one whose speed changes from one minute to the next; slices a few seconds apart see the same machine,
/// so each pair gives a ratio, and the median of the pairs' ratios is the figure (with the lowest and highest).
/// openssl inherits this process's CPU affinity (the script pins it to one core).</summary>
public static class AuthPaired
{
    private sealed record Sample(double Ours, double Raw, double Whole);

    public static string Run(int pairs, int sliceSeconds)
    {
        using var setup = AuthSpeed.Setup();
        var kernels = new (string Name, string OpenSsl, long Hashed, Action Work)[]
        {
            ("DKIM sign rsa2048", "rsa-sign", setup.RsaHashedOctets, setup.Kernel("dkim-sign-rsa2048")),
            ("DKIM sign ed25519", "ed-sign", setup.EdHashedOctets, setup.Kernel("dkim-sign-ed25519")),
            ("DKIM verify rsa2048", "rsa-verify", setup.RsaHashedOctets, setup.Kernel("dkim-verify-rsa2048")),
            ("DKIM verify ed25519", "ed-verify", setup.EdHashedOctets, setup.Kernel("dkim-verify-ed25519")),
        };
        var batches = kernels.Select(k => AuthSpeed.WarmUp(k.Work)).ToArray();
        var samples = kernels.Select(_ => new List<Sample>()).ToArray();
        for (var pair = 0; pair < pairs; pair++)
        {
            var ours = new double[kernels.Length];
            Dictionary<string, double> openssl;
            if (pair % 2 == 0)
            {
                MeasureOurs();
                openssl = OpenSsl(sliceSeconds, setup.Message.Length);
            }
            else
            {
                openssl = OpenSsl(sliceSeconds, setup.Message.Length);
                MeasureOurs();
            }
            for (var k = 0; k < kernels.Length; k++)
            {
                var raw = openssl[kernels[k].OpenSsl];
                // The whole limit: openssl's signature or verification plus openssl's SHA-256 of the octets the operation
                // hashes (the canonical body and signed header fields, and the signature field less its b= value).
                var whole = 1 / (1 / raw + kernels[k].Hashed / openssl["sha256"]);
                samples[k].Add(new Sample(ours[k], raw, whole));
            }

            void MeasureOurs()
            {
                for (var k = 0; k < kernels.Length; k++)
                {
                    var (n, cpu) = AuthSpeed.Measure(kernels[k].Work, TimeSpan.FromSeconds(sliceSeconds), batches[k]);
                    ours[k] = n / cpu;
                }
            }
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{pairs} pairs of {sliceSeconds} s slices; each figure the median of the pairs; octets hashed: {setup.RsaHashedOctets} (RSA), {setup.EdHashedOctets} (Ed25519)"),
            string.Create(CultureInfo.InvariantCulture, $"  {"",-20} {"ours/s",8}   {"raw/s",10} {"ratio",6}   {"whole/s",10} {"ratio",6}  whole ratio of each pair"),
        };
        for (var k = 0; k < kernels.Length; k++)
        {
            var s = samples[k];
            var wholeRatios = s.Select(x => x.Ours / x.Whole).ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {kernels[k].Name,-20} {Median(s.Select(x => x.Ours)),8:F0}   {Median(s.Select(x => x.Raw)),10:F0} {Median(s.Select(x => x.Ours / x.Raw)),6:F2}   {Median(s.Select(x => x.Whole)),10:F0} {Median(wholeRatios),6:F2}  {string.Join(' ', wholeRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}"));
        }
        return string.Join('\n', lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>`openssl speed` for RSA-2048 and Ed25519 (signatures and verifications per second) and for SHA-256
    /// of a block the size of the message (bytes per second); both count CPU time, as ours does.</summary>
    private static Dictionary<string, double> OpenSsl(int seconds, int messageBytes)
    {
        var rates = new Dictionary<string, double>();
        foreach (var line in RunOpenSsl($"speed -seconds {seconds} rsa2048 ed25519"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("rsa 2048 bits", StringComparison.Ordinal))
                (rates["rsa-sign"], rates["rsa-verify"]) = (Number(fields[5]), Number(fields[6]));
            else if (line.Contains("(Ed25519)", StringComparison.Ordinal))
                (rates["ed-sign"], rates["ed-verify"]) = (Number(fields[^2]), Number(fields[^1]));
        }
        foreach (var line in RunOpenSsl($"speed -seconds {seconds} -evp sha256 -bytes {messageBytes}"))
            if (line.StartsWith("sha256", StringComparison.Ordinal))
                rates["sha256"] = Number(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].TrimEnd('k')) * 1000;
        foreach (var key in (string[])["rsa-sign", "rsa-verify", "ed-sign", "ed-verify", "sha256"])
            if (!rates.ContainsKey(key)) throw new InvalidOperationException($"openssl speed gave no figure for {key}");
        return rates;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static string[] RunOpenSsl(string arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        _ = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"openssl {arguments} exited with {process.ExitCode}");
        return output.Split('\n');
    }
}
