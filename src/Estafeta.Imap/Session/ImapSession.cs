using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Store;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Imap.Session;

/// <summary>
/// One IMAP conversation over a connection: greet, then read a command, run it, tell the client what changed in
/// the selected mailbox, send the tagged completion; until LOGOUT, the client leaves, the autologout timer or
/// the error limit ends it, or the server stops (then "* BYE"). Responses are buffered and flushed before
/// waiting for input, so pipelined commands cost one write. The store and mailbox are released however it ends.
/// </summary>
internal sealed class ImapSession(Connection connection, SessionContext context)
{
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(30);

    private enum Wait { Command, Closed, Idle, Stopping }

    private SessionState _state = new NotAuthenticatedState();
    private ImapPrincipal? _principal;
    private IImapStore? _store;
    private int _badInARow;
    private double _tokens = context.Options.CommandBurst;
    private DateTimeOffset _lastCommand = context.Clock.GetUtcNow();

    private ImapServerOptions Options => context.Options;
    private ILogger Log => context.Log;
    private ResponseWriter Writer => context.Writer;

    public async Task RunAsync(CancellationToken aborted)
    {
        string reason;
        try
        {
            if (connection.Shutdown.Stopping.IsCancellationRequested)
            {
                Untagged("BYE [UNAVAILABLE] Server shutting down");
                reason = "the server is shutting down";
            }
            else
            {
                Untagged($"OK [CAPABILITY {Capabilities.For(context, _state)}] {Options.HostName} Estafeta IMAP4 server ready");
                reason = await ConverseAsync(aborted).ConfigureAwait(false);
            }
            using var timeout = new CancellationTokenSource(FinalFlushTimeout, context.Clock);
            using var flush = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
            await Writer.FlushAsync(flush.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await connection.Output.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        ImapLog.Ended(Log, context.Remote, reason);
    }

    private async Task<string> ConverseAsync(CancellationToken aborted)
    {
        while (true)
        {
            var (wait, raw) = await WaitForCommandAsync(aborted).ConfigureAwait(false);
            switch (wait)
            {
                case Wait.Closed:
                    return "the client closed the connection";
                case Wait.Idle:
                    Untagged("BYE Autologout; idle for too long");
                    return "idle timeout";
                case Wait.Stopping:
                    Untagged("BYE [UNAVAILABLE] Server shutting down");
                    return "the server is shutting down";
            }
            await using (raw)
            {
                await PaceAsync(aborted).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(Options.CommandTimeout, context.Clock);
                using var command = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
                var (tag, outcome, name) = await RunCommandAsync(raw!, command.Token).ConfigureAwait(false);
                outcome = CountBad(outcome);
                X509Certificate2? certificate = null;
                if (outcome.Action == SessionAction.UpgradeTls) (outcome, certificate) = LoadCertificate(outcome);

                Tagged(tag, outcome.Completion);
                Remember(outcome.State);
                _state = outcome.State;
                if (outcome.Action == SessionAction.Close)
                    return name == "LOGOUT" ? "logout" : "closed after " + outcome.Completion.Line;
                if (outcome.Action == SessionAction.UpgradeTls && certificate is not null)
                {
                    await Writer.FlushAsync(command.Token).ConfigureAwait(false);
                    await connection.UpgradeToTlsAsync(certificate, Options.TlsHandshakeTimeout, aborted).ConfigureAwait(false);
                    context.TlsStarted();
                    ImapLog.TlsStarted(Log, context.Remote, connection.Tls!.Protocol, connection.Tls.CipherSuite, connection.DiscardedBeforeTls);
                }
                if (Writer.Written >= 64 * 1024) await Writer.FlushAsync(command.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Parses and runs one command; returns the tag to answer with and the outcome.</summary>
    private async ValueTask<(string Tag, Outcome Outcome, string Name)> RunCommandAsync(RawCommand raw, CancellationToken ct)
    {
        var tag = raw.Tag ?? "*";
        switch (raw.Status)
        {
            case ReadStatus.LiteralRefused:
                return (tag, new(Completion.No("Literal too large", "TOOBIG"), _state), "");
            case ReadStatus.LiteralDropped:
                return (tag, new(Completion.Bad("Literal too large", "TOOBIG"), _state), "");
            case ReadStatus.CommandTooLarge:
                return (tag, new(Completion.Bad("Command too large", "TOOBIG"), _state), "");
        }

        var args = new Tokenizer(raw.Parts) { MaxDepth = Options.MaxNestingDepth };
        var parsedTag = args.Atom(CharClass.IsTagChar);
        args.Sp();
        var name = args.Ok ? args.Keyword() : "";
        if (!args.Ok)
        {
            LogClient(raw, null);
            return (raw.Tag ?? "*", new(Completion.Bad(raw.Tag is null ? "Missing or invalid tag" : "Missing command name"), _state), "");
        }
        var uid = false;
        if (name == "UID")
        {
            args.Sp();
            name = args.Ok ? args.Keyword() : "";
            uid = true;
        }
        args.TryByte((byte)' ');
        LogClient(raw, name);
        if (!args.Ok) return (parsedTag, new(Completion.Bad("Missing command after UID"), _state), name);

        if (CommandTable.Find(name) is not { } spec || (uid && !spec.UidVariant))
            return (parsedTag, new(Completion.Bad($"Unknown command {(uid ? "UID " : "")}{name}"), _state), name);
        if (!spec.AllowedIn.Contains(_state.Phase))
            return (parsedTag, new(Completion.Bad(NotAllowedText(name)), _state), name);

        var state = _state;
        var command = new ImapCommand(parsedTag, name, uid, args);
        Outcome outcome;
        try
        {
            outcome = await spec.Handler(context, state, command, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ct.IsCancellationRequested && e is not IOException)
        {
            ImapLog.BackendFailed(Log, e, context.Remote, command.FullName);
            outcome = new(Completion.No("Temporary failure in the mail store; try again later", "UNAVAILABLE"), state);
        }

        if (outcome.State is SelectedState selected && outcome.Action == SessionAction.Continue && spec.Sync != SyncPolicy.None)
        {
            var allowExpunges = spec.Sync == SyncPolicy.Full || uid;
            await selected.Mailbox.SyncAsync(context, allowExpunges, ct).ConfigureAwait(false);
        }
        return (parsedTag, outcome, name);
    }

    private string NotAllowedText(string name) => _state.Phase switch
    {
        ImapPhase.NotAuthenticated => $"{name} needs a login first",
        ImapPhase.Authenticated => $"{name} needs a selected mailbox",
        _ => $"{name} is not allowed after login",
    };

    /// <summary>Waits for the next command. Before waiting, sends what is buffered unless the next command
    /// is already there (pipelining).</summary>
    private async Task<(Wait, RawCommand?)> WaitForCommandAsync(CancellationToken aborted)
    {
        var stopping = connection.Shutdown.Stopping;
        if (stopping.IsCancellationRequested) return (Wait.Stopping, null);
        using var idle = new CancellationTokenSource(Options.IdleTimeout, context.Clock);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, idle.Token);
        try
        {
            if (!HasBufferedLine()) await Writer.FlushAsync(any.Token).ConfigureAwait(false);
            var raw = await CommandReader.ReadAsync(context.Input, context.Limits, ContinueAsync, any.Token).ConfigureAwait(false);
            return raw.Status switch
            {
                ReadStatus.Closed => (Wait.Closed, null),
                ReadStatus.LineTooLong => Fatal("BYE [TOOBIG] Command line too long"),
                _ => (Wait.Command, raw),
            };
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return (stopping.IsCancellationRequested ? Wait.Stopping : Wait.Idle, null);
        }
    }

    private (Wait, RawCommand?) Fatal(string bye)
    {
        Untagged(bye);
        return (Wait.Closed, null);
    }

    private async ValueTask ContinueAsync(CancellationToken ct)
    {
        Writer.Raw("+ Ready for literal data\r\n");
        await Writer.FlushAsync(ct).ConfigureAwait(false);
    }

    private bool HasBufferedLine()
    {
        var input = context.Input;
        if (!input.TryRead(out var result)) return false;
        var complete = result.Buffer.PositionOf((byte)'\n') is not null;
        input.AdvanceTo(result.Buffer.Start);
        return complete;
    }

    /// <summary>The command rate limit: a token bucket of <see cref="ImapServerOptions.CommandBurst"/> commands
    /// refilled at <see cref="ImapServerOptions.CommandsPerSecond"/>; an empty bucket delays the next command.</summary>
    private async ValueTask PaceAsync(CancellationToken ct)
    {
        var now = context.Clock.GetUtcNow();
        _tokens = Math.Min(Options.CommandBurst, _tokens + (now - _lastCommand).TotalSeconds * Options.CommandsPerSecond);
        _lastCommand = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return;
        }
        var wait = TimeSpan.FromSeconds((1 - _tokens) / Options.CommandsPerSecond);
        await Writer.FlushAsync(ct).ConfigureAwait(false);
        await Task.Delay(wait, context.Clock, ct).ConfigureAwait(false);
        _tokens = 0;
        _lastCommand = context.Clock.GetUtcNow();
    }

    private Outcome CountBad(Outcome outcome)
    {
        if (outcome.Completion.Status != CompletionStatus.Bad)
        {
            _badInARow = 0;
            return outcome;
        }
        if (++_badInARow < Options.MaxBadCommands) return outcome;
        Untagged("BYE Too many invalid commands");
        return outcome with { Action = SessionAction.Close };
    }

    private (Outcome, X509Certificate2?) LoadCertificate(Outcome outcome)
    {
        try
        {
            return (outcome, Options.Certificate!());
        }
        catch (Exception e)
        {
            ImapLog.CertificateFailed(Log, e, context.Remote);
            return (new(Completion.No("TLS is not available right now", "UNAVAILABLE"), _state), null);
        }
    }

    private void Remember(SessionState state)
    {
        switch (state)
        {
            case AuthenticatedState a:
                _principal = a.Principal;
                _store = a.Store;
                break;
            case SelectedState s:
                _principal = s.Principal;
                _store = s.Store;
                break;
        }
    }

    private void Untagged(string text)
    {
        if (Log.IsEnabled(LogLevel.Debug)) ImapLog.Server(Log, context.Remote, "* " + text);
        Writer.Raw("* ").Raw(text).Crlf();
    }

    private void Tagged(string tag, Completion completion)
    {
        if (ReferenceEquals(completion, Completion.None)) return;
        if (Log.IsEnabled(LogLevel.Debug)) ImapLog.Server(Log, context.Remote, tag + " " + completion.Line);
        Writer.Raw(tag).Sp().Raw(completion.Line).Crlf();
    }

    private void LogClient(RawCommand raw, string? name)
    {
        if (!Log.IsEnabled(LogLevel.Debug)) return;
        var first = raw.Parts.Count > 0 && raw.Parts[0] is TextPart text ? text.Bytes : [];
        string line;
        if (name is "LOGIN" or "AUTHENTICATE")
        {
            var words = Encoding.UTF8.GetString(first).Split(' ');
            line = string.Join(' ', words.Take(name == "LOGIN" ? 2 : 3)) + " " + Transcript.Secret;
        }
        else
        {
            var all = new StringBuilder();
            foreach (var part in raw.Parts)
                all.Append(part is TextPart t ? Encoding.UTF8.GetString(t.Bytes) : $"{{{((LiteralPart)part).Literal.Length} octets}}");
            line = all.Length > 500 ? all.ToString(0, 500) + "..." : all.ToString();
        }
        ImapLog.Client(Log, context.Remote, line);
    }

    private async ValueTask ReleaseAsync()
    {
        try
        {
            if (_state is SelectedState selected) await selected.Mailbox.Store.DisposeAsync().ConfigureAwait(false);
            if (_store is not null) await _store.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ImapLog.BackendFailed(Log, e, context.Remote, "releasing the store");
        }
        finally
        {
            if (_principal is not null) context.Services.Sessions.Leave(_principal.AccountId);
        }
    }
}
