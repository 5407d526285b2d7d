using Npgsql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Counters summed in memory, one <see cref="CounterSums"/> a counter, then each written once: a recount sums every
/// stored deal's contribution to the counters drawn from states (<see cref="StateCounters"/>); a catch-up sums, batch by
/// batch, those states' net changes and what its new rows add (<see cref="RowCounters"/>), so that at the head it has
/// them without reading a state or a row back (at a million deals, reading them back and grouping them took a rebuild's
/// last minutes). A catch-up from empty tables writes its sums into the emptied counters; one that fell behind while
/// counting (<paramref name="ontoCounted"/>) adds them to the counters as its last counted batch left them.
/// </summary>
internal sealed class SummedCounters(IEnumerable<CounterAdd> adds, bool ontoCounted = false)
{
    private readonly Dictionary<Table, CounterSums> sums = adds.ToDictionary(a => a.Counts, a => new CounterSums(a));

    /// <summary>The counters it sums.</summary>
    public IReadOnlyCollection<Table> Counters => sums.Keys;

    /// <summary>Adds the rows to the counters they go to, those of them it sums.</summary>
    public void Add(IEnumerable<(IReadOnlyList<CounterAdd> Adds, IReadOnlyList<object> Rows)> changes)
    {
        foreach (var (adds, rows) in changes)
        {
            foreach (var add in adds)
            {
                if (sums.TryGetValue(add.Counts, out var counter))
                {
                    counter.Add(rows);
                }
            }
        }
    }

    /// <summary>
    /// Writes the sums of each of <paramref name="counters"/>: into it emptied, or (<c>ontoCounted</c>) added to it, by
    /// way of a temporary table of its columns, as a counting batch adds its rows.
    /// </summary>
    public async Task WriteAsync(NpgsqlConnection connection, IEnumerable<Table> counters, CancellationToken ct)
    {
        foreach (var counter in counters)
        {
            var name = counter.Identifier.QualifiedName;
            if (!ontoCounted)
            {
                await CounterRecount.ExecuteAsync(connection, $"delete from {name}", ct);
                await sums[counter].CopyAsync(connection, ct);
                continue;
            }

            var staged = $"summed_{counter.Identifier.Name}";
            await CounterRecount.ExecuteAsync(connection, $"create temp table {staged} (like {name}) on commit drop", ct);
            await sums[counter].CopyAsync(connection, ct, into: staged);
            await CounterRecount.ExecuteAsync(connection, $"insert into {name} as c select * from {staged} {TimelineStatements.Summing(counter, intoEmpty: false)}", ct);
        }
    }
}
