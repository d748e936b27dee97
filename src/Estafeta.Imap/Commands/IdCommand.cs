using System.Text;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>ID (RFC 2971): the client names itself (kept for the log); the server answers with its name.</summary>
internal static class IdCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var fields = new List<(string Key, string? Value)>();
        if (!t.TryWord("NIL"))
        {
            t.List(() =>
            {
                var key = Encoding.UTF8.GetString(t.StringBytes());
                t.Sp();
                var value = t.NStringBytes();
                if (fields.Count < 30) fields.Add((key, value is null ? null : Grammar.Tokenizer.Utf8(value)));
            });
        }
        t.ExpectEnd();
        if (t.Error is { } error) return new(new Outcome(Completion.Bad(error), state));

        if (fields.Count > 0)
        {
            var name = string.Join(", ", fields.Where(f => f.Key.ToLowerInvariant() is "name" or "version" or "os" or "vendor")
                .Select(f => $"{f.Key}={f.Value}"));
            context.ClientName = name.Length > 200 ? name[..200] : name;
            ImapLog.ClientId(context.Log, context.Remote, context.ClientName);
        }
        context.Writer.Raw("* ID (\"name\" \"Estafeta\" \"vendor\" \"Estafeta\" \"support-url\" NIL)\r\n");
        return new(new Outcome(Completion.Ok("ID completed"), state));
    }
}
