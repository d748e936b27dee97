using System.CommandLine;
using Estafeta.Cli;

var root = new RootCommand("Estafeta: email marketing platform with its own mail servers (SMTP, submission, POP3), self-hosted.");
GlobalOptions.AddTo(root);
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(DomainCommands.Create());
root.Subcommands.Add(AccountCommands.Create());
root.Subcommands.Add(AliasCommands.Create());
root.Subcommands.Add(ListsCommands.Create());
root.Subcommands.Add(ContactsCommands.Create());
root.Subcommands.Add(SegmentsCommands.Create());
root.Subcommands.Add(ApiKeyCommands.Create());
root.Subcommands.Add(QueueCommands.Create());
foreach (var command in AuthCommands.Create()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
