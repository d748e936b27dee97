using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Net;

namespace Estafeta.Imap.Commands;

/// <summary>AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616), with the initial response on the command line
/// (SASL-IR, RFC 4959) or after an empty continuation request. "*" cancels.</summary>
internal static class AuthenticateCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var mechanism = t.Keyword();
        byte[]? initial = null;
        if (t.Ok && t.TryByte((byte)' ')) initial = t.AStringBytes();
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (mechanism != "PLAIN") return new(Completion.No($"Unsupported mechanism {mechanism}; use PLAIN", "CANNOT"), state);
        if (!context.PlaintextAuthAllowed) return new(Login.PlaintextRefused, state);

        if (initial is null)
        {
            context.Writer.Raw("+ \r\n");
            await context.Writer.FlushAsync(ct).ConfigureAwait(false);
            var line = await LineReader.ReadLineAsync(context.Input, context.Options.MaxLineLength, ct).ConfigureAwait(false);
            if (line.Status != LineStatus.Ok) return new(Completion.Bad("Invalid SASL response"), state, line.Status == LineStatus.Closed ? SessionAction.Close : SessionAction.Continue);
            initial = line.Bytes;
            if (initial is [(byte)'*']) return new(Completion.Bad("Authentication cancelled"), state);
        }

        if (!SaslPlain.TryDecode(initial, out var credentials, out var reason))
            return new(Completion.Bad(reason), state);
        return await Login.AttemptAsync(context, state, credentials.Login, credentials.Password, ct).ConfigureAwait(false);
    }
}
