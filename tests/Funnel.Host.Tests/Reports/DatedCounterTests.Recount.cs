using Funnel.Host.Verifying;
using Funnel.Projections.Timeline;

namespace Funnel.Host.Tests.Reports;

public sealed partial class DatedCounterTests
{
    [Fact]
    public async Task a_rebuild_that_counts_the_deals_states_once_at_its_end_writes_the_live_counters()
    {
        // A thousand events a batch: the rebuild leaves the counters drawn from the deals' states until it reaches the
        // head, then counts every stored state at once; everything else (late-recorded events, the reopening, the
        // reassignment, the redefined pipeline) it writes batch by batch, as the live projection did.
        var verifier = new ReadModelVerifier(app.ConnectionString, calendar: new CounterCalendar(BerlinApp.Berlin), batchSize: 1_000);
        var result = await verifier.VerifyAsync(new Progress<string>(), CancellationToken.None);

        Assert.True(result.Identical, string.Join("; ", result.Tables.Where(t => !t.Identical).Select(t => $"{t.Table}: {string.Join(" | ", t.Examples)}")));
        Assert.True(result.Sequence > 10_000, $"only {result.Sequence} events: too few batches to defer across");
        foreach (var counter in StateCounterNames)
        {
            Assert.True(result.Tables.Single(t => t.Table == counter).LiveRows > 0, counter);
        }
    }

    private static readonly string[] StateCounterNames =
    [
        TimelineTables.StageCounts, TimelineTables.StageStatusCounts, TimelineTables.DealCounts, TimelineTables.OpenStayCounts, TimelineTables.OpenTouchCounts,
        TimelineTables.CloseCounts, TimelineTables.AdvanceCounts, TimelineTables.EffortCounts, TimelineTables.EffortDatedCounts,
    ];
}
