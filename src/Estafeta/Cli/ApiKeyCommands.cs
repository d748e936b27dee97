using System.CommandLine;
using System.Globalization;
using Estafeta.Web.Api;

namespace Estafeta.Cli;

public static class ApiKeyCommands
{
    public static Command Create()
    {
        var command = new Command("apikey", "Manage the keys of the REST API (/api/v1)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "What the key is for, e.g. tienda-web" };
        var scope = new Option<string[]>("--scope") { Description = $"Scope to grant (repeat or separate with commas): {string.Join(", ", ApiScopes.All)}, or *", AllowMultipleArgumentsPerToken = true, Required = true };
        var rate = new Option<int>("--rate") { Description = "Requests per minute this key may make", DefaultValueFactory = _ => 600 };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("create", "Create an API key; the key is shown once, only its hash is stored") { name, scope, rate, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var (key, secret) = await new ApiKeyStore(db).CreateAsync(parse.GetValue(name)!, parse.GetValue(scope) ?? [], parse.GetValue(rate), ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(new { id = key.Id, name = key.Name, prefix = key.Prefix, scopes = key.Scopes, ratePerMinute = key.RatePerMinute, key = secret });
            }
            else
            {
                Output.Done($"Created API key {key.Name} ({key.Prefix}) with {string.Join(' ', key.Scopes)}.");
                Output.Done("Keep it now; it is not shown again:");
                Output.Done(secret);
            }

            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("list", "List the API keys (never their secrets)") { json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var keys = await new ApiKeyStore(db).ListAsync(ct);
            static string When(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";
            if (parse.GetValue(json))
                Output.WriteJson(keys.Select(k => new { id = k.Id, name = k.Name, prefix = k.Prefix, scopes = k.Scopes, ratePerMinute = k.RatePerMinute, created = k.CreatedAt, lastUsed = k.LastUsedAt, revoked = k.RevokedAt }));
            else
                Output.WriteTable(["Prefix", "Name", "Scopes", "Rate/min", "Created (UTC)", "Last used", "Revoked"],
                    keys.Select(k => new[] { k.Prefix, k.Name, string.Join(' ', k.Scopes), k.RatePerMinute.ToString(CultureInfo.InvariantCulture), When(k.CreatedAt), When(k.LastUsedAt), When(k.RevokedAt) }),
                    "No API keys. Create one with: estafeta apikey create tienda --scope contacts:write");
            return 0;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var key = new Argument<string>("key") { Description = "The key's prefix (as listed) or id" };
        var command = new Command("revoke", "Revoke an API key; it stops working at once") { key };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var revoked = await new ApiKeyStore(db).RevokeAsync(parse.GetValue(key)!, ct);
            Output.Done($"Revoked API key {revoked.Name} ({revoked.Prefix}).");
            return 0;
        }));
        return command;
    }
}
