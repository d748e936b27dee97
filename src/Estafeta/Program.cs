using System.CommandLine;
using Estafeta.Cli;

StartupTrace.Mark("main");
StartupProfile.Start(args);
var root = new RootCommand("Estafeta: email marketing platform with its own mail servers (SMTP MX and submission, outbound MTA, IMAP, POP3), self-hosted.");
GlobalOptions.AddTo(root);
foreach (var command in Verbs.For(args)) root.Subcommands.Add(command);
var parsed = root.Parse(args);
StartupTrace.Mark("parsed");
var exit = await parsed.InvokeAsync();
StartupTrace.Mark("done");
return exit;
