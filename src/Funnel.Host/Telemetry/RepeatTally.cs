using System.Collections.Concurrent;

namespace Funnel.Host.Telemetry;

/// <summary>
/// Which occurrences of a repeating kind of thing to write: the first of each window, with how many like it went
/// unwritten before it. What keeps a flood of identical log lines to a line per kind per window.
/// </summary>
public sealed class RepeatTally(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Tally> tallies = new(StringComparer.Ordinal);

    /// <summary>Whether to write this occurrence of <paramref name="kind"/> now; <paramref name="omitted"/> is how many were not written since the last.</summary>
    public bool Admit(string kind, TimeSpan window, out long omitted)
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
}
