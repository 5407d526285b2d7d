using Funnel.Host.Verifying;
using Funnel.Projections.Timeline;

namespace Funnel.Host.Tests.Reports;

public sealed partial class DatedCounterTests
{
    [Fact]
    public async Task a_rebuild_that_counts_once_at_its_end_writes_the_live_counters()
    {
        // A hundred events a batch: the rebuild, deal by deal, leaves the counters until its last batch, summing in
        // memory what the deals' states and its new intervals and activities add, then writes them at once; everything
        // else (late-recorded events, the reopening, the reassignment, the redefined pipeline) it writes batch by batch.
        // The live projection counted as it went, in the store's sequence, closing intervals batches after they began.
        var verifier = new ReadModelVerifier(app.ConnectionString, calendar: new CounterCalendar(BerlinApp.Berlin), batchSize: 100);
        var result = await verifier.VerifyAsync(new Progress<string>(), CancellationToken.None);

        Assert.True(result.Identical, string.Join("; ", result.Tables.Where(t => !t.Identical).Select(t => $"{t.Table}: {string.Join(" | ", t.Examples)}")));
        Assert.True(result.Sequence > 10_000, $"only {result.Sequence} events: too few batches to defer across");
        // Intervals the live projection closed a batch after it began them: their first and last events lie in different
        // hundreds of the sequence (the batches' edges lie within the few events the projection skips of each hundred).
        Assert.True(long.Parse(await QueryScalarAsync("select count(*)::text from funnel.deal_intervals where (seq - 1) / 100 <> (closed_seq - 1) / 100"), System.Globalization.CultureInfo.InvariantCulture) > 20);
        foreach (var counter in SummedCounterNames)
        {
            Assert.True(result.Tables.Single(t => t.Table == counter).LiveRows > 0, counter);
        }
    }

    private static readonly string[] SummedCounterNames =
    [
        TimelineTables.StageCounts, TimelineTables.StageStatusCounts, TimelineTables.DealCounts, TimelineTables.OpenStayCounts, TimelineTables.OpenTouchCounts,
        TimelineTables.CloseCounts, TimelineTables.AdvanceCounts, TimelineTables.EffortCounts, TimelineTables.EffortDatedCounts,
        TimelineTables.IntervalCounts, TimelineTables.KnownIntervalCounts, TimelineTables.OpenCloseCounts, TimelineTables.RepDayMoves,
        TimelineTables.HandoverCounts, TimelineTables.ActivityCounts, TimelineTables.StayChangeCounts, TimelineTables.StayChangeTotals, TimelineTables.RepDayTeamDeals,
    ];
}
