using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;
using Estafeta.Web.Api;

namespace Estafeta.Cli;

/// <summary>
/// <c>estafeta contacts gdpr-export EMAIL</c> and <c>estafeta contacts erase EMAIL</c>: a person's GDPR requests
/// answered from the command line, with the same JSON as the API (<c>/api/v1/privacy/...</c>).
/// </summary>
public static class ContactPrivacyCommands
{
    /// <summary>The API's JSON (camelCase, enums as words), indented, with accented letters kept as they are.</summary>
    private static readonly JsonSerializerOptions Json = new(ApiResult.Json)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Export()
    {
        var email = new Argument<string>("email") { Description = "The person's address (need not be a contact: suppression entries and import reports are searched too)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the JSON to this file (readable by its owner only) instead of standard output" };
        var command = new Command("gdpr-export", "Export everything stored about an address as JSON (GDPR access and portability)") { email, output };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var export = await audience.Privacy.ExportAsync(parse.GetValue(email)!, ct);
            var text = JsonSerializer.Serialize(export, Json);
            if (parse.GetValue(output) is { } path)
            {
                try
                {
                    await WritePrivateAsync(path, text + "\n", ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Output.Fail($"cannot write {path}: {e.Message}");
                }

                Output.Done($"Wrote everything stored about {export.Email} to {path}: {Summary(export)}.");
            }
            else
            {
                Console.Out.WriteLine(text);
            }

            return 0;
        }));
        return command;
    }

    public static Command Erase()
    {
        var email = new Argument<string>("email") { Description = "The person's address" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (for scripts)" };
        var json = new Option<bool>("--json") { Description = "Print what was erased as JSON" };
        var command = new Command("erase",
            "Erase everything stored about an address (GDPR); only its SHA-256 stays, on the suppression list, so it is never imported, subscribed or mailed again. Cannot be undone")
        {
            email, yes, json,
        };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var canonical = MailAddressCanonical.Address(parse.GetValue(email)!);
            if (!parse.GetValue(yes))
            {
                PersonalDataExport? held;
                try
                {
                    held = await audience.Privacy.ExportAsync(canonical, ct);
                }
                catch (NotFoundException)
                {
                    held = null;
                }

                Console.Error.WriteLine(held is null
                    ? $"Nothing is stored about {canonical}; erasing puts its hash on the suppression list so it is never mailed."
                    : $"This erases everything stored about {canonical}: {Summary(held)}. It cannot be undone.");
                Console.Error.Write("Type the address again to confirm: ");
                var answer = await Console.In.ReadLineAsync(ct);
                if (answer is null) return Output.Fail($"{canonical} was not erased: confirm by typing the address, or pass --yes.");
                if (!MailAddressCanonical.TryAddress(answer, out var typed) || !string.Equals(typed, canonical, StringComparison.Ordinal))
                {
                    return Output.Fail($"{canonical} was not erased: the address typed does not match.");
                }
            }

            var result = await audience.Privacy.EraseAsync(canonical, ct);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, Json));
                return 0;
            }

            Output.Done(result.AlreadyErased
                ? $"{canonical} had already been erased; nothing more was stored about it."
                : string.Create(CultureInfo.InvariantCulture,
                    $"Erased {canonical}: {(result.ContactId is { } id ? $"contact {id}" : "no contact")}, {result.Subscriptions} subscriptions, {result.ConsentRecords} consent records, {result.Events} events (kept only in the totals), {result.ImportReportRows} import report rows, {result.CachedApiResponses} cached API answers; {result.DeliveryEvents} records of sent mail keep no address; {result.CancelledDeliveries} queued deliveries cancelled."));
            Output.Done($"The address stays on the suppression list only as its SHA-256: {result.SuppressionHash}");
            return 0;
        }));
        return command;
    }

    private static string Summary(PersonalDataExport e) => string.Create(CultureInfo.InvariantCulture,
        $"{(e.Contact is { } c ? $"contact {c.Id}" : "no contact")}, {e.Subscriptions.Count} subscriptions, {e.ConsentRecords.Count} consent records, {e.Events.Count} events, " +
        $"{(e.Suppression is { } s ? $"suppressed ({SuppressionReasons.Name(s.Reason)})" : "not suppressed")}, {e.ImportReports.Count} import report rows, {e.Deliveries.Count} records of sent mail");

    private static async Task WritePrivateAsync(string path, string text, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file, new System.Text.UTF8Encoding(false));
        await writer.WriteAsync(text.AsMemory(), ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
