using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Estafeta.MailAuth.Tests.Arc;

/// <summary>dkimpy's ARC (Debian's python3-dkim with python3-authres), an independent ARC
/// implementation, driven through a small script. Installed with apt-get when missing; if that
/// fails the calling test fails with the reason.</summary>
internal static class ArcDkimpy
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        import dkim

        mode = sys.argv[1]
        records = json.load(open(sys.argv[2]))
        message = open(sys.argv[3], "rb").read()

        def dnsfunc(name, timeout=5):
            if isinstance(name, bytes):
                name = name.decode("ascii")
            value = records.get(name.rstrip(".").lower())
            return value.encode("ascii") if value is not None else None

        if mode == "verify":
            cv, results, reason = dkim.arc_verify(message, dnsfunc=dnsfunc)
            print(json.dumps({"cv": (cv or b"").decode(), "reason": reason}))
        else:
            key = open(sys.argv[4], "rb").read()
            fields = dkim.arc_sign(message, sys.argv[5].encode(), sys.argv[6].encode(), key, sys.argv[7].encode(),
                                   timestamp=int(sys.argv[8]))
            sys.stdout.buffer.write(b"".join(fields))
        """;

    private static readonly Lazy<string> ScriptPath = new(() =>
    {
        EnsureInstalled();
        var path = Path.Combine(Path.GetTempPath(), $"estafeta-arc-dkimpy-{Environment.ProcessId}.py");
        File.WriteAllText(path, Script);
        return path;
    });

    /// <summary>dkimpy's chain verdict ("pass", "fail", "none", or "" for a terminated chain) and its reason.</summary>
    public static (string Cv, string Reason) Verify(byte[] message, IReadOnlyDictionary<string, string> txtRecords)
    {
        using var folder = new TempFolder();
        var (stdout, _) = Run(ScriptPath.Value, "verify", folder.Write("records.json", Records(txtRecords)), folder.Write("message.eml", message));
        using var json = JsonDocument.Parse(stdout);
        return (json.RootElement.GetProperty("cv").GetString()!, json.RootElement.GetProperty("reason").GetString()!);
    }

    /// <summary>The ARC set dkimpy adds (fields to prepend), from the message's Authentication-Results
    /// of <paramref name="authservId"/>. <paramref name="pkcs1Pem"/> is the RSA key.</summary>
    public static string Seal(byte[] message, string pkcs1Pem, string selector, string domain, string authservId, long timestamp)
    {
        using var folder = new TempFolder();
        var (stdout, _) = Run(ScriptPath.Value, "seal", folder.Write("records.json", "{}"u8.ToArray()), folder.Write("message.eml", message),
            folder.Write("key.pem", Encoding.ASCII.GetBytes(pkcs1Pem)), selector, domain, authservId,
            timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (stdout.Length == 0) Assert.Fail("dkimpy added no ARC set (it found no Authentication-Results of " + authservId + ")");
        return stdout;
    }

    private static byte[] Records(IReadOnlyDictionary<string, string> txtRecords) =>
        JsonSerializer.SerializeToUtf8Bytes(txtRecords.ToDictionary(p => p.Key.ToLowerInvariant(), p => p.Value));

    private static void EnsureInstalled()
    {
        if (Probe(out var missing)) return;
        var log = new StringBuilder($"dkimpy ARC is not importable ({missing.Trim()}); ");
        foreach (var command in new[] { "apt-get install -y python3-dkim python3-authres", "apt-get update && apt-get install -y python3-dkim python3-authres" })
        {
            var (code, text) = Shell(command);
            log.Append($"`{command}` exited {code}: {Tail(text)}; ");
            if (code == 0 && Probe(out missing)) return;
        }
        Assert.Fail("python3-dkim (with python3-authres) could not be installed, so the ARC interop test cannot run: " + log);
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
        start.ArgumentList.Add("import dkim, authres");
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
        private readonly string path = Directory.CreateTempSubdirectory("estafeta-arc-").FullName;

        public string Write(string name, byte[] bytes)
        {
            var file = Path.Combine(path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(path, true);
    }
}
