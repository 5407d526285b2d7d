using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

using DrawnChunk = System.Collections.Generic.List<(System.Collections.Generic.IReadOnlyList<Funnel.Projections.Timeline.CounterAdd> Adds, System.Collections.Generic.IReadOnlyList<object> Rows)>;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Counting batch by batch is most of what a long catch-up costs (a rebuild, a new store's first pass): every batch adds
/// to the same counter rows again. So while the projection catches up from its start it writes its rows alone and
/// leaves the counters (those drawn from the deals' states, <see cref="StateCounters"/>, and those drawn from the rows,
/// <see cref="TimelineStatements.RowCounters"/>) alone, its calendar saying version <see cref="CounterCalendar.Owed"/>
/// (reports read rows meanwhile), and when a batch comes within a batch of the head it first counts every stored state
/// and row into emptied counters, in transactions of its own, then counts batch by batch again. A recount is exact at
/// the stored progress whatever came before it, so a crash before it ends leaves version 0 and the next start defers and
/// recounts in turn. It relies on the batches before it being committed (the cache settles them first).
/// </summary>
internal sealed class CounterRecount(TimelineTableSet tables, CounterCalendar calendar)
{
    /// <summary>How many deals' states a recount reads and adds at a time.</summary>
    private const int DealsAtATime = 10_000;

    private readonly TimelineStatements sql = new(tables, calendar, counting: true);

    private readonly string owed = $"""
        select coalesce((select version = {CounterCalendar.Owed} from {tables.CounterCalendar.Identifier.QualifiedName} where id = 1), e.empty), e.empty
        from (select not exists (select 1 from {tables.DealStates.Identifier.QualifiedName}) as empty) e
        """;

    private readonly string stored = $"select count(*) from {tables.DealStates.Identifier.QualifiedName}";

    private readonly string states = $"""
        select deal_id, state from {tables.DealStates.Identifier.QualifiedName}
        where deal_id > @after order by deal_id limit {DealsAtATime}
        """;

    /// <summary>
    /// Whether the counters are owed a recount (the calendar says so, or the projection starts on empty tables), and
    /// whether no deal's state is stored yet.
    /// </summary>
    public async Task<(bool Owed, bool Empty)> StatusAsync(IQuerySession session, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(owed, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    /// <summary>
    /// Parts at once, each on a connection and in a transaction of its own, so that PostgreSQL works on every core
    /// while the service draws the deals' states: the state counters in two halves (<see cref="CountStatesAsync"/>) and
    /// the counters of each table's rows (one statement each). Then the calendar says counted by this version (with no calendar row yet,
    /// nothing was stored: the next batch marks it). Until then it says owed, so reports read rows, and a recount stopped
    /// halfway is simply run again.
    /// </summary>
    /// <param name="held">The states the projection holds in memory: when they are every stored deal's, they are not read back.</param>
    /// <param name="summed">
    /// The counters the projection summed as it went (<see cref="SummedCounters"/>), from empty tables or onto the counters
    /// its last counted batch left: then no state is drawn, and the row counters it holds are written from it, not counted
    /// from the rows.
    /// </param>
    public async Task RunAsync(IQuerySession session, IReadOnlyCollection<DealTimelineState> held, SummedCounters? summed, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task StopAllIfItFails(Func<Task> part)
        {
            try
            {
                await part();
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }

        var adds = StateCounters.Adds(sql);
        List<CounterAdd>[] halves = [[.. adds.Where((_, i) => i % 2 == 0)], [.. adds.Where((_, i) => i % 2 == 1)]];
        var drawn = halves.Select(_ => Channel.CreateBounded<DrawnChunk>(2)).ToArray();
        IEnumerable<Task> states = summed is null
            ? [
                StopAllIfItFails(() => Task.Run(() => DrawAsync(session, held, drawn, failed.Token), failed.Token)),
                .. halves.Select((half, i) => StopAllIfItFails(() => InTransactionAsync(session, c => CountStatesAsync(c, half, drawn[i].Reader, failed.Token), failed.Token))),
            ]
            : new[] { 0, 1 }.Select(half => StopAllIfItFails(() => InTransactionAsync(session, c => summed.WriteAsync(c, summed.Counters.Where((_, i) => i % 2 == half), failed.Token), failed.Token)));
        await Task.WhenAll([
            .. states,
            .. sql.RowCounters.Where(counter => !counter.Counters.All(c => summed?.Counters.Contains(c) == true))
                .Select(counter => StopAllIfItFails(() => InTransactionAsync(session, c => CountRowsAsync(c, counter, failed.Token), failed.Token)))]);
        await InTransactionAsync(session, c => ExecuteAsync(c, sql.CountedCalendar, ct), ct);
        IReadOnlyList<string> released = [];
        await InTransactionAsync(session, async c => released = await BulkWriteVacuum.ReleaseAsync(c, tables.All, ct), ct);
        // Analyzed in two halves at once, a core each: the recount's last step, nothing else running beside it.
        await Task.WhenAll(new[] { 0, 1 }.Select(half => InTransactionAsync(session, c => BulkWriteVacuum.AnalyzeAsync(c, released.Where((_, i) => i % 2 == half), ct), ct)));
    }

    /// <summary>Holds autovacuum off the tables until the recount (<see cref="BulkWriteVacuum"/>): from here the catch-up writes them in bulk.</summary>
    public Task HoldVacuumAsync(IQuerySession session, CancellationToken ct) =>
        InTransactionAsync(session, c => BulkWriteVacuum.HoldAsync(c, tables.All, ct), ct);

    /// <summary>Empties every table of the projection, to fold from the first event again.</summary>
    public Task EmptyTablesAsync(IQuerySession session, CancellationToken ct) =>
        InTransactionAsync(session, c => ExecuteAsync(c, tables.TruncateAll, ct), ct);

    /// <summary>Every stored deal's state, ten thousand at a time, drawn into each counter's rows and handed to each part.</summary>
    private async Task DrawAsync(IQuerySession session, IReadOnlyCollection<DealTimelineState> held, Channel<DrawnChunk>[] parts, CancellationToken ct)
    {
        try
        {
            // Each chunk drawn on a pool thread while the next is read.
            async Task HandOn(Task<DrawnChunk>? drawing)
            {
                var rows = drawing is null ? null : await drawing;
                foreach (var part in rows is null ? [] : parts)
                {
                    await part.Writer.WriteAsync(rows!, ct);
                }
            }

            Task<DrawnChunk>? drawing = null;
            await foreach (var chunk in StatesAsync(session, held, ct))
            {
                await HandOn(drawing);
                drawing = Task.Run(() => new DrawnChunk(StateCounters.Contributions(sql, chunk)), ct);
            }

            await HandOn(drawing);
            Array.ForEach(parts, p => p.Writer.Complete());
        }
        catch (Exception e)
        {
            Array.ForEach(parts, p => p.Writer.TryComplete(e));
            throw;
        }
    }

    /// <summary>Sums the drawn rows of its counters in memory (<see cref="SummedCounters"/>), then empties the counters and writes each once.</summary>
    private static async Task CountStatesAsync(NpgsqlConnection connection, IReadOnlyList<CounterAdd> adds, ChannelReader<DrawnChunk> drawn, CancellationToken ct)
    {
        var sums = new SummedCounters(adds);
        await foreach (var chunk in drawn.ReadAllAsync(ct))
        {
            sums.Add(chunk);
        }

        await sums.WriteAsync(connection, adds.Select(a => a.Counts), ct);
    }

    /// <summary>Counts a table's stored rows into its row counters, emptied first, in one statement.</summary>
    private static async Task CountRowsAsync(NpgsqlConnection connection, (IReadOnlyList<Table> Counters, string Recount) counter, CancellationToken ct)
    {
        foreach (var table in counter.Counters)
        {
            await ExecuteAsync(connection, $"delete from {table.Identifier.QualifiedName}", ct);
        }

        await ExecuteAsync(connection, counter.Recount, ct);
    }

    private static async Task InTransactionAsync(IQuerySession session, Func<NpgsqlConnection, Task> work, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Each part groups hundreds of thousands of rows: memory to hash them in.
        await ExecuteAsync(connection, "set local work_mem = '128MB'", ct);
        await work(connection);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The stored deals' states: those held when they are as many as those stored (the projection holds only stored deals
    /// when it recounts, so then they are the same deals, and what it holds is what it stored), else read from the store.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<DealTimelineState>> StatesAsync(IQuerySession session, IReadOnlyCollection<DealTimelineState> held, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // Without a timeout: it scans every state while the recount's other parts keep both cores busy (at a million deals, past 30 s).
        await using var count = new NpgsqlCommand(stored, connection) { CommandTimeout = 0 };
        if (held.Count == (long)(await count.ExecuteScalarAsync(ct))!)
        {
            foreach (var chunk in held.Chunk(DealsAtATime))
            {
                yield return chunk;
            }

            yield break;
        }

        var after = "";
        while (true)
        {
            await using var command = new NpgsqlCommand(states, connection);
            command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = after });
            var chunk = new List<DealTimelineState>(DealsAtATime);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    (after, var state) = (reader.GetString(0), reader.GetString(1));
                    chunk.Add(JsonSerializer.Deserialize<DealTimelineState>(state, TimelineRows.Json)!);
                }
            }

            if (chunk.Count == 0)
            {
                yield break;
            }

            yield return chunk;
        }
    }

    /// <summary>Runs a statement of a recount, without a timeout: each counts or writes the whole store's rows.</summary>
    internal static async Task ExecuteAsync(NpgsqlConnection connection, string statement, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(statement, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}
