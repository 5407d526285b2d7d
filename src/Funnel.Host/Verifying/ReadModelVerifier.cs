using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
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
/// Rebuilds every timeline read model from the events into a schema of its own, beside the live one, and compares
/// them row by row. The live projection keeps running; the rebuild has its own name, so its own progress.
/// </summary>
public sealed class ReadModelVerifier(string connectionString)
{
    public const string VerifySchema = "funnel_verify";
    public const string VerifyProjection = "FunnelTimelineVerify";

    public async Task<VerifyResult> VerifyAsync(IProgress<string> progress, CancellationToken ct)
    {
        var tables = new TimelineTableSet(VerifySchema);
        using var store = DocumentStore.For(options =>
        {
            StorageConfiguration.ConfigureEventStore(options, connectionString);
            options.DatabaseSchemaName = VerifySchema;
            options.Events.DatabaseSchemaName = TimelineTables.Schema;
            options.Events.AddEventTypes([.. DealEvents.All, .. PipelineEvents.All]);
            options.Projections.Add(new TimelineProjection(tables, VerifyProjection), JasperFx.Events.Projections.ProjectionLifecycle.Async);
        });

        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var sequence = await LiveSequenceAsync(ct);
            progress.Report($"rebuilding the read models from {sequence:N0} events into schema {VerifySchema}");
            using var daemon = await store.BuildProjectionDaemonAsync();
            await daemon.RebuildProjectionAsync(VerifyProjection, TimeSpan.FromMinutes(30), ct);

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
        return (await Freshness.ReadAsync(new ReportDatabase(dataSource), ct)).StoreSequence;
    }

    private async Task<TableComparison> CompareAsync(string table, CancellationToken ct)
    {
        // A counter row at zero is no row: the live projection may pass through a key that a rebuild, writing a deal's
        // batch of events at once, never touches.
        var zero = TimelineTables.Live.Counters.Any(c => c.Identifier.Name == table) ? " where n <> 0" : "";
        var (live, rebuilt) = ($"(select * from {TimelineTables.Schema}.{table}{zero}) l", $"(select * from {VerifySchema}.{table}{zero}) r");
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
            $"drop schema if exists {VerifySchema} cascade; delete from {StoreTables.EventProgression} where name like '{VerifyProjection}%'", connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
