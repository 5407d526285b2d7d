using Funnel.Host.Telemetry;
using Funnel.Host.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Funnel.Host.Tests.Telemetry;

/// <summary>A failure that repeats, as a retry loop logs it while PostgreSQL is down: written once a window, with a count.</summary>
public sealed class RepeatedLogsTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void three_hundred_identical_failures_are_one_line_and_a_count()
    {
        var written = new CapturedLogs();
        var clock = new Clock();
        var logger = new RepeatedLogs(written, clock, TimeSpan.FromMinutes(1)).CreateLogger("Wolverine.Transports.Listener");
        var outage = new InvalidOperationException("listener failed", new TimeoutException("connection refused"));

        for (var i = 0; i < 300; i++)
        {
            logger.LogError(outage, "Error while polling the queue");
            clock.Now += TimeSpan.FromMilliseconds(100);
        }

        // 300 calls over 30 s: only the first is written.
        Assert.Single(written.Entries);

        clock.Now += TimeSpan.FromSeconds(31);
        logger.LogError(outage, "Error while polling the queue");
        Assert.Equal(3, written.Entries.Count);
        Assert.Equal("The failure above happened 299 more times since it was last written (TimeoutException: connection refused)", written.Entries[2].Message);
    }

    [Fact]
    public void a_different_failure_and_entries_without_one_are_written_as_they_come()
    {
        var written = new CapturedLogs();
        var logger = new RepeatedLogs(written, new Clock(), TimeSpan.FromMinutes(1)).CreateLogger("Funnel");

        logger.LogError(new TimeoutException("a"), "failed");
        logger.LogError(new TimeoutException("b"), "failed");
        logger.LogWarning("no exception");
        logger.LogWarning("no exception");

        Assert.Equal(["failed", "failed", "no exception", "no exception"], written.Entries.Select(e => e.Message));
    }
}
