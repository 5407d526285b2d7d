using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace Funnel.Projections.Timeline;

/// <summary>
/// Counting batch by batch is most of what a long catch-up costs (a rebuild, a new store's first pass): every batch adds
/// to the same counter rows again. So while the projection catches up from its start it writes its rows alone and
/// leaves the counters (those drawn from the deals' states, <see cref="StateCounters"/>, and those drawn from the rows,
/// <see cref="TimelineStatements.RowCounters"/>) alone, its calendar saying version <see cref="CounterCalendar.Owed"/>
/// (reports read rows meanwhile), and when a batch comes within a batch of the head it first counts every stored state
/// and row into emptied counters, in one transaction of its own, then counts batch by batch again. A recount is exact at
/// the stored progress whatever came before it, so a crash before it leaves version 0 and the next start defers and
/// recounts in turn. It relies on the daemon committing a batch before it prepares the next (as the deal cache does when
/// it reloads states).
/// </summary>
internal sealed class CounterRecount(TimelineTableSet tables, CounterCalendar calendar)
{
    /// <summary>How many deals' states a recount reads and adds at a time.</summary>
    private const int DealsAtATime = 10_000;

    private readonly TimelineStatements sql = new(tables, calendar, counting: true);

    private readonly string owed = $"""
        select coalesce((select version = {CounterCalendar.Owed} from {tables.CounterCalendar.Identifier.QualifiedName} where id = 1),
                        not exists (select 1 from {tables.DealStates.Identifier.QualifiedName}))
        """;

    private readonly string states = $"""
        select deal_id, state::text from {tables.DealStates.Identifier.QualifiedName}
        where deal_id > @after order by deal_id limit {DealsAtATime}
        """;

    /// <summary>True when the counters are owed a recount: the calendar says so, or the projection starts on empty tables.</summary>
    public async Task<bool> IsOwedAsync(IQuerySession session, CancellationToken ct) =>
        (await session.AdvancedSql.QueryAsync<bool>(owed, ct)).Single();

    /// <summary>
    /// Stages every stored deal's contribution (ten thousand deals a statement) in a table of its own per counter, then
    /// empties the counters and adds each staged table in one statement, so each counter row is written once; counts the
    /// rows into the row counters, one statement a table; then marks the calendar counted by this version (with no
    /// calendar row yet, nothing was stored: the next batch marks it).
    /// </summary>
    public async Task RunAsync(IQuerySession session, CancellationToken ct)
    {
        var adds = StateCounters.Adds(sql);
        var staged = adds.ToDictionary(a => a, a => $"recount_{a.Counts.Identifier.Name}");
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, "set local work_mem = '128MB'", null, ct);
        foreach (var add in adds)
        {
            await ExecuteAsync(connection, $"create temporary table {staged[add]} ({add.Fields}) on commit drop", null, ct);
        }

        var after = "";
        while (true)
        {
            var chunk = await ReadStatesAsync(connection, after, ct);
            if (chunk.Count == 0)
            {
                break;
            }

            foreach (var (add, rows) in StateCounters.Changes(sql, [.. chunk.Select(s => (BatchDeal.Unseen, s.State))]))
            {
                await ExecuteAsync(connection, $"insert into {staged[add]} select * from {add.JsonRows("$1")}", rows, ct);
            }

            after = chunk[^1].DealId;
        }

        foreach (var add in adds)
        {
            await ExecuteAsync(connection, $"delete from {add.Counts.Identifier.QualifiedName}", null, ct);
            await ExecuteAsync(connection, add.IntoEmpty($"{staged[add]} r"), null, ct);
        }

        foreach (var (counters, count) in sql.RowCounters)
        {
            foreach (var counter in counters)
            {
                await ExecuteAsync(connection, $"delete from {counter.Identifier.QualifiedName}", null, ct);
            }

            await ExecuteAsync(connection, count, null, ct);
        }

        await ExecuteAsync(connection, sql.CountedCalendar, null, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<List<(string DealId, DealTimelineState State)>> ReadStatesAsync(NpgsqlConnection connection, string after, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(states, connection);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Text) { Value = after });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var chunk = new List<(string, DealTimelineState)>(DealsAtATime);
        while (await reader.ReadAsync(ct))
        {
            chunk.Add((reader.GetString(0), JsonSerializer.Deserialize<DealTimelineState>(reader.GetString(1), TimelineRows.Json)!));
        }

        return chunk;
    }

    /// <summary>Runs a statement; its parameter $1, if any, takes the rows as jsonb.</summary>
    private static async Task ExecuteAsync(NpgsqlConnection connection, string statement, string? rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(statement, connection);
        command.CommandTimeout = 0;
        if (rows is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = rows });
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
