using System.Diagnostics;

namespace Estafeta.EndToEnd;

/// <summary>The command-line verbs record their multicore JIT profile (StartupProfile) in the user's local application
/// data, one per verb and kind of database, and run with it the next time.</summary>
public sealed class StartupProfileTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("estafeta-profile-").FullName;

    public void Dispose() => Directory.Delete(home, recursive: true);

    private async Task<int> RunAsync(params string[] args)
    {
        var info = EstafetaProcess.StartInfo(args);
        info.Environment.Remove("ESTAFETA_NO_STARTUP_PROFILE");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(home, "share");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        return process.ExitCode;
    }

    [Fact]
    public async Task A_verb_records_its_profile_and_runs_again_with_it()
    {
        var data = Path.Combine(home, "data");
        await RunAsync("--data", data, "segments", "count", "language = \"es\"");
        var profile = Path.Combine(home, "share", "estafeta", "startup", "segments-count.sqlite.jitprofile");
        Assert.True(File.Exists(profile), string.Join(", ", Directory.GetFiles(home, "*", SearchOption.AllDirectories)));
        Assert.True(new FileInfo(profile).Length > 0);

        await RunAsync("--data", data, "segments", "count", "language = \"es\"");
        await RunAsync("--data", data, "migrate");
        Assert.True(File.Exists(Path.Combine(home, "share", "estafeta", "startup", "migrate.sqlite.jitprofile")));
    }
}
