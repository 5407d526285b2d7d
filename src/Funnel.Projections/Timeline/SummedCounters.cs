using Npgsql;
using Weasel.Postgresql.Tables;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Counters summed in memory, one <see cref="CounterSums"/> a counter, then each written once into its emptied table: a
/// recount sums every stored deal's contribution to the counters drawn from states (<see cref="StateCounters"/>); a
/// catch-up from empty tables sums, batch by batch, those states' net changes and what its new rows add
/// (<see cref="RowCounters"/>), so that at the head it has them without reading a state or a row back (at a million deals,
/// reading them back and grouping them took a rebuild's last minutes).
/// </summary>
internal sealed class SummedCounters(IEnumerable<CounterAdd> adds)
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

    /// <summary>Empties each of <paramref name="counters"/> and writes its sums into it.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, IEnumerable<Table> counters, CancellationToken ct)
    {
        foreach (var counter in counters)
        {
            await CounterRecount.ExecuteAsync(connection, $"delete from {counter.Identifier.QualifiedName}", ct);
            await sums[counter].CopyAsync(connection, ct);
        }
    }
}
