using System.Diagnostics;
using System.Text;

namespace Estafeta.EndToEnd;

/// <summary>Runs the real `estafeta` program (the built estafeta.dll next to the tests) as a child process.</summary>
public static class EstafetaProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "estafeta.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ESTAFETA_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        // The verbs' multicore JIT profiles (StartupProfile) are kept out of the tests' many runs at once, which would
        // write one file together; StartupProfileTests runs them with a folder of its own.
        info.Environment["ESTAFETA_NO_STARTUP_PROFILE"] = "1";
        return info;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string? stdin, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts `estafeta serve` and waits until DATA/ports.json appears.</summary>
    public static async Task<Process> StartServerAsync(string dataDirectory, params string[] extra)
    {
        var portsFile = Hosting.PortsFile.PathIn(dataDirectory);
        File.Delete(portsFile);
        string[] args = ["serve", "--data", dataDirectory, "--http", "127.0.0.1:0", "--smtp", "127.0.0.1:0", "--submission", "127.0.0.1:0",
            "--submissions", "127.0.0.1:0", "--pop3", "127.0.0.1:0", "--pop3s", "127.0.0.1:0", "--imap", "127.0.0.1:0", "--imaps", "127.0.0.1:0", .. extra];
        var process = Process.Start(StartInfo(args))!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(portsFile))
        {
            if (process.HasExited) throw new InvalidOperationException("estafeta serve exited: " + log);
            if (DateTime.UtcNow > deadline) throw new TimeoutException("estafeta serve did not start: " + log);
            await Task.Delay(50);
        }
        return process;
    }
}
