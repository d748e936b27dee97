using System.CommandLine;
using System.Runtime.InteropServices;
using Estafeta.Hosting;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Cli;

public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run every listener (HTTP, SMTP MX, submission, IMAP, POP3) and the outbound MTA in one process until stopped (Ctrl-C or SIGTERM)");
        var options = new List<(string Key, Option<string?> Option)>();
        foreach (var (name, @default, help) in BootSettings.Keys)
        {
            if (name is "data" or "database" or "config") continue;
            var option = new Option<string?>("--" + name) { Description = $"{help} (env {BootSettings.EnvironmentName(name)}; default {@default})" };
            command.Options.Add(option);
            options.Add((name, option));
        }
        command.SetAction(async (parse, ct) =>
        {
            BootSettings settings;
            try { settings = BootSettings.Resolve(GlobalOptions.CommandLineValues(parse, options)); }
            catch (BootSettingsException e) { return Output.Fail(e.Message); }

            using var loggerFactory = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; })
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
            var log = loggerFactory.CreateLogger("Estafeta");

            EstafetaHost host;
            try { host = await EstafetaHost.StartAsync(settings, loggerFactory, ct); }
            catch (Exception e) when (e is BootSettingsException or StorageException or InvalidOperationException)
            {
                return Output.Fail(e.Message);
            }

            var stop = new TaskCompletionSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
            using var registration = ct.Register(() => stop.TrySetResult());
            await stop.Task;
            log.LogInformation("Stopping: finishing sessions in progress (grace {Grace}s)", settings.ShutdownGrace.TotalSeconds);
            await host.DisposeAsync();
            log.LogInformation("Stopped");
            return 0;
        });
        return command;
    }
}
