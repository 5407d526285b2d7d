using Funnel.Projections.Timeline;

namespace Funnel.Projections.Tests;

/// <summary>A recount empties and counts every counter the projection keeps: none may be left out of it (no database).</summary>
public sealed class CounterSetTests
{
    [Fact]
    public void the_state_and_row_counters_are_every_counter_each_once()
    {
        var tables = new TimelineTableSet("funnel");
        var sql = new TimelineStatements(tables, CounterCalendar.Utc, counting: true);

        var recounted = StateCounters.Adds(sql).Select(a => a.Counts).Concat(sql.RowCounters.SelectMany(r => r.Counters))
            .Select(t => t.Identifier.Name).ToList();

        Assert.Equal(recounted.Count, recounted.Distinct().Count());
        Assert.Equal(tables.Counters.Select(t => t.Identifier.Name).Order(), recounted.Order());
    }
}
