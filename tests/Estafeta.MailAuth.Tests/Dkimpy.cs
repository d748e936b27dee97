using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Estafeta.MailAuth.Tests;

/// <summary>Debian's python3-dkim (dkimpy), an independent DKIM and ARC implementation, driven through
/// one small script. It is installed with apt-get when missing (with python3-nacl for Ed25519 and
/// python3-authres for ARC); if that fails the calling test fails with the reason.</summary>
internal static class Dkimpy
{
    private const string Python = "/usr/bin/python3";

    private const string DriverScript = """
        import json, sys
        import dkim

        mode = sys.argv[1]

        def load_records(path):
            records = json.load(open(path))

            def dnsfunc(name, timeout=5):
                if isinstance(name, bytes):
                    name = name.decode("ascii")
                value = records.get(name.rstrip(".").lower())
                return value.encode("ascii") if value is not None else None
            return dnsfunc

        if mode == "verify":
            dnsfunc = load_records(sys.argv[2])
            message = open(sys.argv[3], "rb").read()
            verifier = dkim.DKIM(message)
            count = len([1 for k, _ in verifier.headers if k.lower() == b"dkim-signature"])
            results = []
            for index in range(count):
                try:
                    results.append("pass" if verifier.verify(idx=index, dnsfunc=dnsfunc) else "fail")
                except dkim.DKIMException as error:
                    results.append("error: %s" % error)
            print(json.dumps(results))
        elif mode == "sign":
            message = open(sys.argv[2], "rb").read()
            key = open(sys.argv[6], "rb").read().strip()
            canonicalize = tuple(c.encode() for c in sys.argv[7].split("/"))
            field = dkim.sign(message, sys.argv[4].encode(), sys.argv[5].encode(), key,
                              signature_algorithm=sys.argv[3].encode(), canonicalize=canonicalize)
            sys.stdout.buffer.write(field)
        elif mode == "arc-verify":
            dnsfunc = load_records(sys.argv[2])
            message = open(sys.argv[3], "rb").read()
            cv, results, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
            print(json.dumps({"cv": (cv or b"").decode(), "reason": reason}))
        elif mode == "arc-seal":
            message = open(sys.argv[2], "rb").read()
            key = open(sys.argv[3], "rb").read()
            fields = dkim.arc_sign(message, sys.argv[4].encode(), sys.argv[5].encode(), key, sys.argv[6].encode(),
                                   timestamp=int(sys.argv[7]))
            sys.stdout.buffer.write(b"".join(fields))
        else:
            sys.exit("unknown mode " + mode)
        """;

    private static readonly Lazy<bool> Installed = new(() =>
    {
        EnsureInstalled();
        return true;
    });

    /// <summary>dkimpy's verdict for each DKIM-Signature, top first: "pass", "fail" or "error: ...".</summary>
    public static string[] Verify(byte[] message, IReadOnlyDictionary<string, string> txtRecords)
    {
        using var folder = new TempFolder();
        var (stdout, _) = Run(folder.Script(), "verify", folder.Write("records.json", Records(txtRecords)), folder.Write("message.eml", message));
        return JsonSerializer.Deserialize<string[]>(stdout) ?? [];
    }

    /// <summary>A DKIM-Signature field made by dkimpy. <paramref name="key"/> is PKCS#1 PEM for
    /// rsa-sha256 and the base64 seed for ed25519-sha256, as dkimpy wants them.</summary>
    public static string Sign(byte[] message, string algorithm, string selector, string domain, string key, string canonicalization)
    {
        using var folder = new TempFolder();
        var script = folder.Script();
        var file = folder.Write("message.eml", message);
        var keyFile = folder.Write("key", Encoding.ASCII.GetBytes(key));
        return Run(script, "sign", file, algorithm, selector, domain, keyFile, canonicalization).Stdout;
    }

    /// <summary>dkimpy's ARC chain verdict ("pass", "fail", "none", or "" for a terminated chain) and its reason.</summary>
    public static (string Cv, string Reason) ArcVerify(byte[] message, IReadOnlyDictionary<string, string> txtRecords)
    {
        using var folder = new TempFolder();
        var (stdout, _) = Run(folder.Script(), "arc-verify", folder.Write("records.json", Records(txtRecords)), folder.Write("message.eml", message));
        using var json = JsonDocument.Parse(stdout);
        return (json.RootElement.GetProperty("cv").GetString()!, json.RootElement.GetProperty("reason").GetString()!);
    }

    /// <summary>The ARC set dkimpy adds (fields to prepend), from the message's Authentication-Results
    /// of <paramref name="authservId"/>. <paramref name="pkcs1Pem"/> is the RSA key.</summary>
    public static string ArcSeal(byte[] message, string pkcs1Pem, string selector, string domain, string authservId, long timestamp)
    {
        using var folder = new TempFolder();
        var (stdout, _) = Run(folder.Script(), "arc-seal", folder.Write("message.eml", message), folder.Write("key.pem", Encoding.ASCII.GetBytes(pkcs1Pem)),
            selector, domain, authservId, timestamp.ToString(CultureInfo.InvariantCulture));
        if (stdout.Length == 0) Assert.Fail("dkimpy added no ARC set (it found no Authentication-Results of " + authservId + ")");
        return stdout;
    }

    private static byte[] Records(IReadOnlyDictionary<string, string> txtRecords) =>
        JsonSerializer.SerializeToUtf8Bytes(txtRecords.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value));

    private static void EnsureInstalled()
    {
        if (Probe(out var missing)) return;
        var log = new StringBuilder($"dkimpy is not importable ({missing.Trim()}); ");
        const string packages = "python3-dkim python3-nacl python3-authres";
        foreach (var command in new[] { $"apt-get install -y {packages}", $"apt-get update && apt-get install -y {packages}" })
        {
            var (code, text) = Shell(command);
            log.Append($"`{command}` exited {code}: {Tail(text)}; ");
            if (code == 0 && Probe(out missing)) return;
        }
        Assert.Fail($"{packages} could not be installed, so the interop test cannot run: {log}");
    }

    private static bool Probe(out string error)
    {
        if (!File.Exists(Python))
        {
            error = $"{Python} does not exist";
            return false;
        }
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import dkim, nacl, authres");
        var (code, text) = Execute(start, TimeSpan.FromSeconds(60));
        error = text;
        return code == 0;
    }

    private static (string Stdout, string Stderr) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(true);
            Assert.Fail("dkimpy did not finish within 60 s");
        }
        if (process.ExitCode != 0) Assert.Fail($"dkimpy exited {process.ExitCode}: {stderr.Result}");
        return (stdout.Result, stderr.Result);
    }

    private static (int Code, string Output) Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        return Execute(start, TimeSpan.FromMinutes(5));
    }

    private static (int Code, string Output) Execute(ProcessStartInfo start, TimeSpan timeout)
    {
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(true);
                return (-1, "timed out");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return (-1, error.Message);
        }
    }

    private static string Tail(string text) => text.Length <= 300 ? text.Trim() : text[^300..].Trim();

    private sealed class TempFolder : IDisposable
    {
        private readonly string path = Directory.CreateTempSubdirectory("estafeta-dkimpy-").FullName;

        public string Write(string name, byte[] bytes)
        {
            var file = Path.Combine(path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        /// <summary>Writes the driver script, installing dkimpy first when it is missing.</summary>
        public string Script()
        {
            _ = Installed.Value;
            return Write("dkimpy-driver.py", Encoding.UTF8.GetBytes(DriverScript));
        }

        public void Dispose() => Directory.Delete(path, true);
    }
}
