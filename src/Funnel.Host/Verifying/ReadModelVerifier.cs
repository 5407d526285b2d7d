using Funnel.Host.Storage;
using Funnel.Projections;
using Funnel.Projections.Reports;
using Funnel.Projections.Timeline;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Npgsql;

namespace Funnel.Host.Verifying;

/// <summary>How one read model's live rows compare with the rows rebuilt from the events.</summary>
public sealed record TableComparison(string Table, long LiveRows, long RebuiltRows, long OnlyLive, long OnlyRebuilt, IReadOnlyList<string> Examples)
{
    public bool Identical => OnlyLive == 0 && OnlyRebuilt == 0;
}

public sealed record VerifyResult(long Sequence, IReadOnlyList<TableComparison> Tables)
{
    public bool Identical => Tables.All(t => t.Identical);
}

/// <summary>
/// Rebuilds one tenant's timeline read models from its events into a schema of their own, beside the live one, and
/// compares them row by row. The live projection keeps running; the rebuild has its own name, so its own progress.
/// </summary>
/// <param name="calendar">The days the live counters were cut into (the organisation's zone): the rebuild cuts the same.</param>
/// <param name="batchSize">The events the rebuild takes at a time: a small one makes it recount the state counters after many batches.</param>
public sealed class ReadModelVerifier(string connectionString, string tenant = Tenants.Default, CounterCalendar? calendar = null, int batchSize = TimelineProjection.DefaultBatchSize)
{
    public const string VerifySchema = "funnel_verify";
    public const string VerifyProjection = "FunnelTimelineVerify";

    /// <summary>Each tenant's copy has its own schema and projection name, so tenants can be verified side by side.</summary>
    private string Suffix => tenant == Tenants.Default ? "" : "_" + tenant;

    private string Schema => VerifySchema + Suffix;

    private string Projection => VerifyProjection + Suffix;

    public async Task<VerifyResult> VerifyAsync(IProgress<string> progress, CancellationToken ct)
    {
        var tables = new TimelineTableSet(Schema);
        var projection = new TimelineProjection(tenant, tables, Projection, calendar: calendar, batchSize: batchSize);
        using var store = DocumentStore.For(options =>
        {
            StorageConfiguration.ConfigureEventStore(options, connectionString);
            options.DatabaseSchemaName = Schema;
            options.Events.DatabaseSchemaName = TimelineTables.Schema;
            options.Events.AddEventTypes(TimelineProjection.EventTypes);

            // Registered for its tables; run by the rebuild below, never by a daemon (and no warning that there is none).
            options.Projections.Add(projection, JasperFx.Events.Projections.ProjectionLifecycle.Async);
            options.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
        });

        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var sequence = await LiveSequenceAsync(ct);
            progress.Report($"rebuilding the read models of tenant {tenant} from the events up to {sequence:N0} into schema {Schema}");
            await new TimelineRebuild(store, projection, batchSize).RunAsync(null, ct);

            var comparisons = new List<TableComparison>();
            foreach (var table in TimelineTables.Live.All)
            {
                comparisons.Add(await CompareAsync(table.Identifier.Name, ct));
                progress.Report(comparisons[^1].Identical ? $"{table.Identifier.Name}: identical ({comparisons[^1].LiveRows:N0} rows)" : $"{table.Identifier.Name}: DIFFERENT");
            }

            return new VerifyResult(sequence, comparisons);
        }
        finally
        {
            await CleanUpAsync(ct);
        }
    }

    /// <summary>How far the store is (tombstones and sequence gaps included, as the daemon sees them).</summary>
    private async Task<long> LiveSequenceAsync(CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return (await Freshness.ReadAsync(new ReportDatabase(dataSource, tenant), ct)).StoreSequence;
    }

    /// <summary>A counter's counted columns (n and the sums beside it): all of them zero is no row.</summary>
    private static IEnumerable<string> Counts(Weasel.Postgresql.Tables.Table counter) =>
        counter.Columns.Select(c => c.Name).Where(c => !counter.PrimaryKeyColumns.Contains(c));

    private async Task<TableComparison> CompareAsync(string table, CancellationToken ct)
    {
        // A counter row at zero is no row: the live projection may pass through a key that a rebuild, writing a deal's
        // batch of events at once, never touches.
        var zero = TimelineTables.Live.Counters.FirstOrDefault(c => c.Identifier.Name == table) is { } counter
            ? $" where ({string.Join(", ", Counts(counter))}) <> ({string.Join(", ", Counts(counter).Select(_ => "0"))})"
            : "";
        // The deals' states were jsonb before they were text: a store's older ones keep jsonb's spacing until their deal
        // next changes, so states compare as the JSON they are.
        var columns = table == TimelineTables.DealStates ? "deal_id, state::jsonb as state" : "*";
        var (live, rebuilt) = ($"(select {columns} from {TenantStorage.ReadModelSchema(tenant)}.{table}{zero}) l", $"(select {columns} from {Schema}.{table}{zero}) r");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            with only_live as (select * from {live} except all select * from {rebuilt}),
                 only_rebuilt as (select * from {rebuilt} except all select * from {live})
            select (select count(*) from {live}), (select count(*) from {rebuilt}), (select count(*) from only_live), (select count(*) from only_rebuilt),
                   array(select 'live:    ' || left(row_to_json(x)::text, 300) from (select * from only_live limit 3) x)
                   || array(select 'rebuilt: ' || left(row_to_json(x)::text, 300) from (select * from only_rebuilt limit 3) x)
            """, connection);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new TableComparison(table, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<string[]>(4));
    }

    private async Task CleanUpAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"drop schema if exists {Schema} cascade; delete from {StoreTables.EventProgression} where name like '{Projection}:%'", connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
