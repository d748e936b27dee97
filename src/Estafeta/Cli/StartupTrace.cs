using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Estafeta.Cli;

/// <summary>
/// With <c>ESTAFETA_TRACE_STARTUP=1</c> a verb prints to stderr where its time went: milliseconds since the process
/// started, since the previous mark, and the methods compiled at run time so far with the time spent compiling them
/// (what ahead-of-time compilation did not cover). Off, a mark costs one static field read.
/// </summary>
public static class StartupTrace
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("ESTAFETA_TRACE_STARTUP") == "1";
    private static DateTime processStart;
    private static double last;

    public static void Mark(string phase)
    {
        if (!Enabled) return;
        if (processStart == default) processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var now = (DateTime.UtcNow - processStart).TotalMilliseconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"startup {now,7:F1} ms  +{now - last,6:F1}  jit {JitInfo.GetCompiledMethodCount(),5} methods {JitInfo.GetCompilationTime().TotalMilliseconds,6:F1} ms  {phase}"));
        last = now;
    }
}
