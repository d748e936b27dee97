using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Estafeta.Testing;

/// <summary>The log a test harness gives its <c>ConnectionListener</c>: it keeps what is logged at Error and above (a
/// session that ended with an exception nobody handled), so that the harness can fail the test that caused it when it is
/// disposed. A discarded log hid such a crash: the client only saw its connection close.</summary>
public sealed class ListenerCrashLog : ILogger
{
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyList<string> Errors => _errors.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error) _errors.Enqueue($"{formatter(state, exception)}{(exception is null ? "" : ": " + exception)}");
    }

    /// <summary>Throws when a session crashed while the listener ran.</summary>
    public void AssertNoCrash()
    {
        if (!_errors.IsEmpty) throw new InvalidOperationException("a session ended with an unhandled exception: " + string.Join(Environment.NewLine, _errors));
    }
}
