using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Estafeta.Net;
using Estafeta.Pop3.Commands;
using Microsoft.Extensions.Logging;

namespace Estafeta.Pop3;

/// <summary>
/// One POP3 conversation over a connection: greet, then read a command, run it, send its reply, until
/// QUIT, the client leaves, the idle timer or the error limit ends it, or the server stops. Replies are
/// buffered and flushed only before waiting for input, so pipelined commands (RFC 2449) cost one write.
/// The maildrop lock is released however the session ends; only QUIT commits deletions.
/// </summary>
internal sealed class Pop3Session(Connection connection, SessionContext context)
{
    /// <summary>Pipelined replies are flushed once this much is buffered, so a burst of commands never
    /// holds more than this in memory.</summary>
    private const int FlushThreshold = 64 * 1024;

    /// <summary>How long the last reply may take to reach a client before the connection is dropped anyway.</summary>
    private static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(30);

    private enum Wait { Line, Closed, Idle, Stopping }

    private SessionContext _context = context;
    private SessionState _state = new AuthorizationState();
    private int _errors;

    private Pop3ServerOptions Options => _context.Options;
    private ILogger Log => _context.Log;

    public async Task RunAsync(CancellationToken aborted)
    {
        string reason;
        try
        {
            await SendAsync(Pop3Reply.Ok(Options.HostName + " Estafeta POP3 server ready"), aborted).ConfigureAwait(false);
            reason = await ConverseAsync(aborted).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(FinalFlushTimeout, _context.Clock);
            using var flush = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
            await connection.Output.FlushAsync(flush.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing more can be sent. Completing the output with the error drops what is still buffered,
            // so closing the connection does not wait for a client that has stopped reading.
            await connection.Output.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await ReleaseMaildropAsync().ConfigureAwait(false);
        }
        Pop3Log.Ended(Log, _context.Remote, reason);
    }

    private async Task<string> ConverseAsync(CancellationToken aborted)
    {
        while (true)
        {
            var (wait, line) = await WaitForLineAsync(aborted).ConfigureAwait(false);
            switch (wait)
            {
                case Wait.Closed:
                    return "the client closed the connection";
                case Wait.Idle:
                    await SendAsync(Pop3Reply.Err("Autologout: idle for too long"), aborted).ConfigureAwait(false);
                    return "idle timeout";
                case Wait.Stopping:
                    await SendAsync(Pop3Reply.Err("Server shutting down", ResponseCode.SysTemp), aborted).ConfigureAwait(false);
                    return "the server is shutting down";
            }

            using var timeout = new CancellationTokenSource(Options.IdleTimeout, _context.Clock);
            using var command = CancellationTokenSource.CreateLinkedTokenSource(aborted, timeout.Token);
            var outcome = line.Status == LineStatus.TooLong
                ? new Outcome(Pop3Reply.Err("Line too long"), AfterFailure(_state))
                : await ExecuteAsync(line.Bytes, command.Token).ConfigureAwait(false);
            outcome = CountErrors(outcome);
            X509Certificate2? certificate = null;
            if (outcome.Action == SessionAction.UpgradeTls) (outcome, certificate) = LoadCertificate(outcome);

            // The new state is kept before the reply is sent: if sending fails, a maildrop just opened is still released.
            _state = outcome.State;
            await SendAsync(outcome.Reply, command.Token).ConfigureAwait(false);
            switch (outcome.Action)
            {
                case SessionAction.Close:
                    return outcome.Reply.Status == ReplyStatus.Ok ? "quit" : "closed after " + outcome.Reply.StatusLine;
                case SessionAction.UpgradeTls when certificate is not null:
                    await connection.UpgradeToTlsAsync(certificate, Options.TlsHandshakeTimeout, aborted).ConfigureAwait(false);
                    _context = _context with { IsSecure = true };
                    Pop3Log.TlsStarted(Log, _context.Remote, connection.Tls!.Protocol, connection.Tls.CipherSuite, connection.DiscardedBeforeTls);
                    break;
            }
        }
    }

    /// <summary>Waits for the next command line. Before waiting, sends what is buffered unless a whole
    /// command is already there to answer (pipelining).</summary>
    private async Task<(Wait, Line)> WaitForLineAsync(CancellationToken aborted)
    {
        var stopping = connection.Shutdown.Stopping;
        if (stopping.IsCancellationRequested) return (Wait.Stopping, default);
        using var idle = new CancellationTokenSource(Options.IdleTimeout, _context.Clock);
        using var any = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping, idle.Token);
        try
        {
            if (!HasBufferedLine()) await connection.Output.FlushAsync(any.Token).ConfigureAwait(false);
            var line = await LineReader.ReadLineAsync(connection.Input, Options.MaxCommandLineLength, any.Token).ConfigureAwait(false);
            return (line.Status == LineStatus.Closed ? Wait.Closed : Wait.Line, line);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return (stopping.IsCancellationRequested ? Wait.Stopping : Wait.Idle, default);
        }
    }

    private bool HasBufferedLine()
    {
        var input = connection.Input;
        if (!input.TryRead(out var result)) return false;
        var complete = result.Buffer.PositionOf((byte)'\n') is not null;
        input.AdvanceTo(result.Buffer.Start);
        return complete;
    }

    private async ValueTask<Outcome> ExecuteAsync(byte[] line, CancellationToken ct)
    {
        if (_state is AuthorizationState { AwaitingPlainResponse: true })
        {
            Pop3Log.Client(Log, _context.Remote, Transcript.Secret);
            var response = Encoding.Latin1.GetString(line);
            return await GuardAsync("AUTH", () => AuthCommand.ContinueAsync(_context, response, ct), ct).ConfigureAwait(false);
        }
        if (!CommandParser.TryParse(line, out var command, out var error))
        {
            if (Log.IsEnabled(LogLevel.Debug)) Pop3Log.Client(Log, _context.Remote, $"<{line.Length} octets that are not a command>");
            return new(Pop3Reply.Err(error), _state);
        }
        if (Log.IsEnabled(LogLevel.Debug)) Pop3Log.Client(Log, _context.Remote, Transcript.Client(command));
        if (CommandTable.Find(command.Keyword) is not { } spec) return new(Pop3Reply.Err("Unknown command"), _state);
        if (!spec.AllowedIn.Contains(_state.Phase))
            return new(Pop3Reply.Err($"{command.Keyword} is not allowed in the {_state.Phase.ToString().ToUpperInvariant()} state"), _state);
        var state = _state;
        return await GuardAsync(command.Keyword, () => spec.Handler(_context, state, command, ct), ct).ConfigureAwait(false);
    }

    /// <summary>Runs a command; a failure of the mail store becomes a [SYS/TEMP] reply.</summary>
    private async ValueTask<Outcome> GuardAsync(string keyword, Func<ValueTask<Outcome>> run, CancellationToken ct)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Pop3Log.BackendFailed(Log, e, _context.Remote, keyword);
            return new(Pop3Reply.Err("Temporary failure in the mail store; try again later", ResponseCode.SysTemp), AfterFailure(_state));
        }
    }

    /// <summary>A failed step leaves the state as it was, except that a SASL exchange is over.</summary>
    private static SessionState AfterFailure(SessionState state) =>
        state is AuthorizationState { AwaitingPlainResponse: true } ? new AuthorizationState() : state;

    private Outcome CountErrors(Outcome outcome)
    {
        if (!outcome.Reply.CountsAsError || ++_errors < Options.MaxErrors) return outcome;
        return new(Pop3Reply.Err("Too many errors; closing the connection"), outcome.State, SessionAction.Close);
    }

    /// <summary>Gets the certificate before STLS is answered, so that a certificate that cannot be
    /// loaded turns the answer into an error instead of breaking the handshake.</summary>
    private (Outcome, X509Certificate2?) LoadCertificate(Outcome outcome)
    {
        try
        {
            return (outcome, Options.Certificate!());
        }
        catch (Exception e)
        {
            Pop3Log.CertificateFailed(Log, e, _context.Remote);
            return (new(Pop3Reply.Err("TLS is not available right now", ResponseCode.SysTemp), _state), null);
        }
    }

    private async ValueTask SendAsync(Pop3Reply reply, CancellationToken ct)
    {
        var output = connection.Output;
        try
        {
            if (Log.IsEnabled(LogLevel.Debug)) Pop3Log.Server(Log, _context.Remote, Transcript.Server(reply));
            await ReplyWriter.WriteAsync(output, reply, ct).ConfigureAwait(false);
        }
        finally
        {
            if (reply.Content is { } content) await content.Stream.DisposeAsync().ConfigureAwait(false);
        }
        if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThreshold)
            await output.FlushAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask ReleaseMaildropAsync()
    {
        var maildrop = _state switch
        {
            TransactionState transaction => transaction.Maildrop,
            UpdateState update => update.Maildrop,
            _ => null,
        };
        if (maildrop is null) return;
        try
        {
            await maildrop.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Pop3Log.BackendFailed(Log, e, _context.Remote, "releasing the maildrop");
        }
    }
}
