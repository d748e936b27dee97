using System.CommandLine;
using System.Globalization;
using Estafeta.Storage;

namespace Estafeta.Cli;

public static class AccountCommands
{
    public static Command Create()
    {
        var command = new Command("account", "Manage accounts: a login with a mailbox (INBOX, Sent, Drafts, Junk, Trash, Archive)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Messages());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of standard input" };

    private static Command Add()
    {
        var address = new Argument<string>("address") { Description = "Login and mail address, e.g. ana@ejemplo.test (its domain must exist)" };
        var stdin = PasswordStdin();
        var quota = new Option<string?>("--quota") { Description = "Mailbox quota, e.g. 500M or 2G (default: unlimited)" };
        var command = new Command("add", "Create an account with its mailboxes") { address, stdin, quota };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            long quotaBytes = 0;
            if (parse.GetValue(quota) is { } q && !SizeParser.TryParse(q, out quotaBytes))
                return Output.Fail($"--quota '{q}' is not a size; write it like 500M or 2G.");
            var password = await PasswordInput.ReadAsync(parse.GetValue(stdin), ct);
            if (password is null)
                return Output.Fail("no password given. Pipe it in with --password-stdin, or run in a terminal to be asked.");
            var account = await new AccountStore(db).AddAsync(parse.GetValue(address)!, password, quotaBytes, ct);
            Output.Done($"Created account {account.Address} (quota {SizeParser.Format(account.QuotaBytes)}).");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var domain = new Option<string?>("--domain") { Description = "Only accounts of this domain" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List accounts") { domain, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var accounts = await new AccountStore(db).ListAsync(parse.GetValue(domain), ct);
            if (parse.GetValue(json))
                Output.WriteJson(accounts.Select(a => new { address = a.Address, quotaBytes = a.QuotaBytes, usedBytes = a.UsedBytes, created = a.CreatedAt }));
            else
                Output.WriteTable(["Account", "Used", "Quota", "Created (UTC)"],
                    accounts.Select(a => new[]
                    {
                        a.Address, SizeParser.Format(a.UsedBytes).Replace("unlimited", "0 B", StringComparison.Ordinal), SizeParser.Format(a.QuotaBytes),
                        a.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    }),
                    "No accounts yet. Create one with: estafeta account add ana@ejemplo.test");
            return 0;
        }));
        return command;
    }

    private static Command Passwd()
    {
        var address = new Argument<string>("address") { Description = "Account whose password changes" };
        var stdin = PasswordStdin();
        var command = new Command("passwd", "Change an account's password") { address, stdin };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var password = await PasswordInput.ReadAsync(parse.GetValue(stdin), ct);
            if (password is null)
                return Output.Fail("no password given. Pipe it in with --password-stdin, or run in a terminal to be asked.");
            await new AccountStore(db).SetPasswordAsync(parse.GetValue(address)!, password, ct);
            Output.Done($"Password of {parse.GetValue(address)} changed.");
            return 0;
        }));
        return command;
    }

    private static Command Messages()
    {
        var address = new Argument<string>("address") { Description = "Account whose mail to list" };
        var mailbox = new Option<string>("--mailbox") { Description = "Mailbox to list (default: INBOX), e.g. Junk", DefaultValueFactory = _ => "INBOX" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("messages", "List the messages of a mailbox with the spam score the MX gave each and its reasons") { address, mailbox, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var name = parse.GetValue(mailbox)!;
            var account = await new AccountStore(db).GetAsync(parse.GetValue(address)!, ct);
            if (account is null) return Output.Fail($"no account {parse.GetValue(address)}. See: estafeta account list");
            var mail = new MailStore(db);
            var box = await mail.GetMailboxAsync(account.Id, name, ct);
            if (box is null) return Output.Fail($"{account.Address} has no mailbox {name}.");
            var messages = await mail.ListWithSpamVerdictsAsync(box.Id, ct);
            if (parse.GetValue(json))
                Output.WriteJson(messages.Select(m => new
                {
                    uid = m.Uid, received = m.InternalDate, size = m.Size, from = Decoded(m.From), subject = Decoded(m.Subject),
                    spamScore = m.Spam?.Score, spamReasons = m.Spam?.Reasons,
                }));
            else
            {
                Output.WriteTable(["UID", "Received (UTC)", "Spam", "From", "Subject"],
                    messages.Select(m => new[]
                    {
                        m.Uid.ToString(CultureInfo.InvariantCulture),
                        m.InternalDate.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                        m.Spam is { } spam ? spam.Score.ToString("0.0", CultureInfo.InvariantCulture) : "-",
                        Decoded(m.From) ?? "", Decoded(m.Subject) ?? "",
                    }),
                    $"{box.Name} of {account.Address} is empty.");
                // The reasons under the table, one per line, whole: a table cell would wrap or cut them.
                foreach (var m in messages.Where(m => m.Spam is { Reasons.Count: > 0 }))
                foreach (var reason in m.Spam!.Reasons)
                    Output.Done(FormattableString.Invariant($"UID {m.Uid}: {reason}"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A header value as people read it: RFC 2047 encoded-words ("=?utf-8?q?suscripci=C3=B3n?=") decoded.</summary>
    private static string? Decoded(string? value) =>
        value is null || !value.Contains("=?", StringComparison.Ordinal) ? value : MimeKit.Utils.Rfc2047.DecodeText(System.Text.Encoding.UTF8.GetBytes(value));

    private static Command Remove()
    {
        var address = new Argument<string>("address") { Description = "Account to remove, with all its mail" };
        var command = new Command("remove", "Remove an account and its mailboxes") { address };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await new AccountStore(db).RemoveAsync(parse.GetValue(address)!, ct);
            Output.Done($"Removed account {parse.GetValue(address)}.");
            return 0;
        }));
        return command;
    }
}
