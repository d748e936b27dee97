using System.Globalization;
using Estafeta.Bench;

// estafeta-bench auth [SECONDS] [ONLY]
// estafeta-bench auth-paired [PAIRS] [SLICE-SECONDS]
// estafeta-bench imap-preload|imap-load|imap-idle HOST PORT USERFORMAT PASSWORD USERS [CLIENTS] [SECONDS|MESSAGES] [READYFILE]
if (args is ["auth-paired", ..])
{
    Console.WriteLine(AuthPaired.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1));
    return 0;
}
if (args is ["auth", ..])
{
    Console.WriteLine(AuthSpeed.Run(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5), args.Length > 2 ? args[2] : null));
    return 0;
}
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: estafeta-bench imap-preload|imap-load|imap-idle HOST PORT USERFORMAT PASSWORD USERS [CLIENTS|MESSAGES|SESSIONS] [SECONDS] [READYFILE]");
    return 2;
}
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
var options = new ImapLoad.Options(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3], args[4], Arg(5, 1), Arg(6, 10), TimeSpan.FromSeconds(Arg(7, 20)));
switch (args[0])
{
    case "imap-preload":
        await ImapLoad.PreloadAsync(options, Arg(6, 1000));
        return 0;
    case "imap-load":
        Console.WriteLine(await ImapLoad.RunAsync(options));
        return 0;
    case "imap-idle":
        await ImapLoad.HoldIdleAsync(options, Arg(6, 1000), TimeSpan.FromSeconds(Arg(7, 30)), args.Length > 8 ? args[8] : "/tmp/imap-idle-ready");
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}
