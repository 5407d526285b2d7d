namespace Funnel.Host.Telemetry;

/// <summary>
/// Writes a failure that repeats (the same category, level, event, exception type and message) once per window, and
/// with the next one after the window how many were left out: while PostgreSQL is down, a retry loop that fails every
/// tenth of a second leaves a few lines, not megabytes of identical stack traces. Other entries pass unchanged.
/// </summary>
public sealed class RepeatedLogs(ILoggerProvider inner, TimeProvider clock, TimeSpan window) : ILoggerProvider
{
    private readonly RepeatTally tally = new(clock);
    private readonly TimeSpan repeatWindow = window;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName, inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    private sealed class Logger(RepeatedLogs owner, string category, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || !inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var cause = exception.GetBaseException();
            if (!owner.tally.Admit($"{category}|{logLevel}|{eventId.Id}|{cause.GetType().FullName}|{cause.Message}", owner.repeatWindow, out var omitted))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
            if (omitted > 0)
            {
                inner.Log(logLevel, eventId, $"The failure above happened {omitted} more times since it was last written ({cause.GetType().Name}: {cause.Message})", null,
                    (text, _) => text);
            }
        }
    }
}
