using System.Buffers;
using System.Security.Cryptography;
using Estafeta.Net;
using Microsoft.Extensions.Logging;

namespace Estafeta.Smtp.Session;

/// <summary>
/// One SMTP conversation. It reads commands from <see cref="Net.Connection.Input"/> and writes replies to
/// <see cref="Net.Connection.Output"/>, never the socket. Replies are buffered and sent when the engine
/// is about to wait for the client (no complete command line is buffered), which is what makes
/// PIPELINING (RFC 2920) cheap: a pipelined group is answered with one write.
/// </summary>
internal sealed class SmtpSession(SmtpServer server, Connection connection)
{
    private int _errors;
    private int _commands;
    private bool _closing;

    public string Id { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    public Connection Connection { get; } = connection;
    public SmtpServerOptions Options => server.Options;
    public ISmtpPolicy Policy => server.Policy;
    public IMessageSink Sink => server.Sink;
    public LoginThrottle Throttle => server.Throttle;
    public ILogger Log => server.Log;
    public TimeProvider Clock => server.Clock;

    public SessionState State { get; set; } = Connected.Instance;
    public SmtpPrincipal? Principal { get; set; }

    /// <summary>Submission offers AUTH once the connection is encrypted, or always when plaintext logins are allowed.</summary>
    public bool AuthOffered => Options.Mode == SmtpMode.Submission && (Connection.IsSecure || Options.AllowPlaintextAuth);

    public bool StartTlsOffered => Options.Certificate is not null && !Connection.IsSecure;

    public SmtpSessionInfo Info
    {
        get
        {
            var helo = (State as AfterHelo)?.Helo;
            return new SmtpSessionInfo(Id, Options.Mode, Connection.RemoteEndPoint, Connection.LocalEndPoint,
                helo?.Name, helo?.Esmtp ?? false, Connection.Tls, Principal);
        }
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        SmtpLog.SessionStarted(Log, Id, Connection.RemoteEndPoint);
        var reason = "aborted";
        try
        {
            reason = await ConverseAsync(aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            reason = "aborted";
        }
        catch (IOException e)
        {
            reason = $"connection lost: {e.Message}";
        }
        finally
        {
            SmtpLog.SessionEnded(Log, Id, reason, _commands);
        }
    }

    private async Task<string> ConverseAsync(CancellationToken aborted)
    {
        var stopping = Connection.Shutdown.Stopping;
        var host = Options.HostName;
        if (stopping.IsCancellationRequested) return await CloseWithAsync(Replies.ShuttingDown(host), "shutting down", aborted).ConfigureAwait(false);
        Reply(Replies.Greeting(host));
        while (true)
        {
            if (stopping.IsCancellationRequested) return await CloseWithAsync(Replies.ShuttingDown(host), "shutting down", aborted).ConfigureAwait(false);
            if (!HasBufferedLine()) await FlushAsync(aborted).ConfigureAwait(false);

            Line line;
            using (var idle = new Deadline(Clock, Options.CommandTimeout, aborted, stopping))
            {
                try
                {
                    line = await LineReader.ReadLineAsync(Connection.Input, Options.MaxCommandLineLength, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    return stopping.IsCancellationRequested
                        ? await CloseWithAsync(Replies.ShuttingDown(host), "shutting down", aborted).ConfigureAwait(false)
                        : await CloseWithAsync(Replies.IdleTimeout(host), "idle timeout", aborted).ConfigureAwait(false);
                }
            }
            if (line.Status == LineStatus.Closed) return "closed by the client";
            if (++_commands > Options.MaxCommands) return await CloseWithAsync(Replies.TooManyCommands(host), "too many commands", aborted).ConfigureAwait(false);

            if (line.Status == LineStatus.TooLong)
            {
                ClientLine("(line too long)");
                Reply(Replies.LineTooLong);
            }
            else
            {
                var step = await ExecuteAsync(line.Bytes, aborted).ConfigureAwait(false);
                if (step.Closes)
                {
                    await FlushAsync(aborted).ConfigureAwait(false);
                    return step.CloseReason!;
                }
            }
            if (_closing)
            {
                await FlushAsync(aborted).ConfigureAwait(false);
                return "421 sent";
            }
            if (_errors >= Options.MaxErrors) return await CloseWithAsync(Replies.TooManyErrors(host), "too many errors", aborted).ConfigureAwait(false);
        }
    }

    private async ValueTask<SessionStep> ExecuteAsync(byte[] line, CancellationToken aborted)
    {
        var command = CommandLine.Parse(line);
        if (Log.IsEnabled(LogLevel.Debug)) ClientLine(Transcript.ClientLine(command, line));
        if (command.Verb is null || !CommandTable.TryGet(command.Verb, out var spec))
        {
            Reply(Replies.Unrecognized);
            return SessionStep.Continue;
        }
        if (!CommandTable.IsAllowed(spec, State))
        {
            Reply(CommandTable.OutOfSequence(spec, State));
            return SessionStep.Continue;
        }
        using var deadline = new Deadline(Clock, spec.TransfersMessage ? Options.DataTimeout : Options.CommandTimeout, aborted);
        try
        {
            return await spec.Handler(this, command.Argument, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Expired && !aborted.IsCancellationRequested)
        {
            Reply(Replies.Timeout(Options.HostName));
            return SessionStep.Close($"{spec.Verb} timed out");
        }
    }

    /// <summary>Buffers a reply; it is sent at the next flush. A 421 ends the session after the current command.</summary>
    public void Reply(SmtpReply reply)
    {
        if (Replies.IsClientError(reply.Code)) _errors++;
        if (reply.Code == 421) _closing = true;
        reply.WriteTo(Connection.Output);
        if (Log.IsEnabled(LogLevel.Debug))
            foreach (var text in reply.ToString().Split("\r\n"))
                SmtpLog.ServerLine(Log, Id, text);
    }

    public async ValueTask FlushAsync(CancellationToken ct) => await Connection.Output.FlushAsync(ct).ConfigureAwait(false);

    /// <summary>Sends what is buffered and reads one line of an AUTH exchange; the transcript shows it blanked.</summary>
    public async ValueTask<Line> ReadAuthResponseAsync(CancellationToken ct)
    {
        await FlushAsync(ct).ConfigureAwait(false);
        var line = await LineReader.ReadLineAsync(Connection.Input, Options.MaxCommandLineLength, ct).ConfigureAwait(false);
        if (line.Status == LineStatus.Ok) ClientLine(Transcript.Blanked);
        return line;
    }

    /// <summary>Asks the policy or sink for a reply. A failure there is our problem, not the client's:
    /// it is logged and answered with 451 4.3.0 so that the client tries again later.</summary>
    public async ValueTask<SmtpReply> AskAsync(string step, Func<CancellationToken, ValueTask<SmtpReply>> question, CancellationToken ct)
    {
        SmtpReply reply;
        try
        {
            reply = await question(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SmtpLog.StepFailed(Log, e, Id, step);
            return SmtpReplies.LocalError;
        }
        if (reply.IsSuccess || reply.IsTransientFailure || reply.IsPermanentFailure) return reply;
        SmtpLog.InvalidReply(Log, Id, step, reply.Code);
        return SmtpReplies.LocalError;
    }

    /// <summary>Runs a call into the policy or sink that returns a value; false when it failed (already logged).</summary>
    public async ValueTask<(bool Ok, T? Value)> TryAsync<T>(string step, Func<CancellationToken, ValueTask<T>> call, CancellationToken ct)
    {
        try
        {
            return (true, await call(ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SmtpLog.StepFailed(Log, e, Id, step);
            return (false, default);
        }
    }

    /// <summary>True when a whole command line is already buffered (or the client has finished sending),
    /// so reading it will not wait and replies may stay buffered.</summary>
    private bool HasBufferedLine()
    {
        var input = Connection.Input;
        if (!input.TryRead(out var result)) return false;
        var complete = result.IsCompleted || result.Buffer.PositionOf((byte)'\n') is not null;
        input.AdvanceTo(result.Buffer.Start);
        return complete;
    }

    private async Task<string> CloseWithAsync(SmtpReply reply, string reason, CancellationToken aborted)
    {
        Reply(reply);
        await FlushAsync(aborted).ConfigureAwait(false);
        return reason;
    }

    private void ClientLine(string text) => SmtpLog.ClientLine(Log, Id, text);
}
