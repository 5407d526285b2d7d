using System.Collections.Concurrent;

namespace Funnel.Host.Telemetry;

/// <summary>
/// Writes a failure that repeats (the same category, level, event, exception type and message) once per window, and
/// with the next one after the window how many were left out: while PostgreSQL is down, a retry loop that fails every
/// tenth of a second leaves a few lines, not megabytes of identical stack traces. Other entries pass unchanged.
/// </summary>
public sealed class RepeatedLogs(ILoggerProvider inner, TimeProvider clock, TimeSpan window) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, Tally> tallies = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName, inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    /// <summary>Whether to write this failure now; <paramref name="omitted"/> is how many like it were not written before it.</summary>
    private bool Admit(string kind, out long omitted)
    {
        var now = clock.GetUtcNow();
        var tally = tallies.GetOrAdd(kind, _ => new Tally());
        lock (tally)
        {
            if (tally.Since is { } since && now - since < window)
            {
                tally.Omitted++;
                omitted = 0;
                return false;
            }

            (omitted, tally.Omitted, tally.Since) = (tally.Omitted, 0, now);
            return true;
        }
    }

    private sealed class Tally
    {
        public DateTimeOffset? Since { get; set; }

        public long Omitted { get; set; }
    }

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
            if (!owner.Admit($"{category}|{logLevel}|{eventId.Id}|{cause.GetType().FullName}|{cause.Message}", out var omitted))
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
