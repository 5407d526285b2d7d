using System.Runtime.CompilerServices;
using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// One tenant's timeline rebuilt from its first event: its tables emptied, then the events folded a batch at a time by
/// the projection as the daemon folds them, but deal by deal (<see cref="BatchesAsync"/>) and each batch's rows committed
/// while the next batch folds. The daemon folds and writes in turn, so on two cores the service and PostgreSQL each
/// spent half a rebuild waiting for the other. The progress moves with the last batch only: a rebuild stopped halfway
/// leaves some deals folded whole and the progress at nothing, and the next start empties the tables and folds every
/// event again (<see cref="TimelineCache"/>). The indexes only reports read are dropped with the rows and built again in
/// bulk near the end (<see cref="ReportIndexes"/>): kept, each batch's rows updated them one by one, most of what
/// PostgreSQL spent on a batch.
/// </summary>
public sealed class TimelineRebuild(IDocumentStore store, TimelineProjection projection, int batchSize = TimelineProjection.DefaultBatchSize)
{
    /// <summary>The projection's one shard, as the daemon names it in its progress.</summary>
    public string Shard => TenantStorage.ShardOf(projection.Name);

    /// <summary>
    /// Rebuilds through the store's newest event; returns how many events it folded. <paramref name="progress"/> hears,
    /// after each batch, how many it has folded and where the store ends.
    /// </summary>
    public async Task<long> RunAsync(IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        // Emptied before the schema's update: a rebuild stopped halfway left rows without the report indexes.
        await using (var connection = ((DocumentStore)store).Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await StoppedRebuild.EmptyAsync(connection, projection.Tables, Shard, rebuilding: true, ct);
        }

        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var (head, first, dropped) = await EmptyAsync(ct);
        projection.BeginRebuild(first);
        var (folded, writing) = (0L, Task.CompletedTask);

        // Batches hold back one: the last reaches the head, other tenants' events included, and is folded differently.
        List<IEvent>? held = null;
        await foreach (var batch in BatchesAsync(head, ct))
        {
            if (held is not null)
            {
                writing = await FoldAsync(held, through: null, writing, indexing: null, ct);
                folded += held.Count;
                progress?.Report(new RebuildProgress(folded, head));
            }

            held = batch;
        }

        // The report indexes are built while the counters are counted (the last batch counts them, reading rows by no
        // report index). A commit that met an index being built would wait for it inside a statement with a timeout: so
        // the indexes begin once the batch before is committed, and the last batch commits once they are built.
        await writing;
        var indexing = ReportIndexes.BuildAsync(((DocumentStore)store).Storage.Database.CreateConnection, dropped, ct);
        writing = await FoldAsync(held ?? [], head, writing, indexing, ct);
        await writing;
        await indexing;
        folded += held?.Count ?? 0;
        progress?.Report(new RebuildProgress(folded, head));
        return folded;
    }

    /// <summary>
    /// The events in batches: first every pipeline's in the store's sequence (a deal's stages are ordered by the
    /// pipeline's version of its time), then stream by stream, each batch ending with a stream. Each deal is then folded in
    /// one batch: its rows, state and counter contributions written once, where the store's sequence spread a deal's
    /// events over a batch each, to be written again, updated and counted again every time.
    /// </summary>
    private async IAsyncEnumerable<List<IEvent>> BatchesAsync(long head, [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = new List<IEvent>(batchSize);
        await foreach (var e in RebuildEvents.ReadAsync((DocumentStore)store, projection.MartenTenant, PipelineEvents.All, head, byStream: false, ct))
        {
            batch.Add(e);
        }

        if (batch.Count > 0)
        {
            yield return batch;
            batch = new List<IEvent>(batchSize);
        }

        await foreach (var e in RebuildEvents.ReadAsync((DocumentStore)store, projection.MartenTenant, DealEvents.OnStream, head, byStream: true, ct))
        {
            if (batch.Count >= batchSize && e.StreamKey != batch[^1].StreamKey)
            {
                yield return batch;
                batch = new List<IEvent>(batchSize);
            }

            batch.Add(e);
        }

        yield return batch;
    }

    /// <summary>
    /// Empties the projection's tables, drops the indexes only reports read and its progress (the daemon, finding none,
    /// begins at the first event), in one transaction; returns the store's newest event, the tenant's first and the indexes dropped.
    /// </summary>
    private async Task<(long Head, long First, IReadOnlyList<string> Dropped)> EmptyAsync(CancellationToken ct)
    {
        await using var connection = ((DocumentStore)store).Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var dropped = await ReportIndexes.DropAsync(connection, projection.Tables.All, ct);
        await using var empty = new NpgsqlCommand(
            $"{projection.Tables.TruncateAll}; {StoppedRebuild.ForgetProgress}", connection, transaction);
        empty.Parameters.AddWithValue("shard", Shard);
        await empty.ExecuteNonQueryAsync(ct);
        await using var newest = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {StoreTables.Events}", connection, transaction);
        var head = (long)(await newest.ExecuteScalarAsync(ct))!;
        await using var first = new NpgsqlCommand($"select {StoreTables.FirstEventOf("@tenant")}", connection, transaction);
        first.Parameters.AddWithValue("tenant", projection.MartenTenant);
        var firstOfTenant = (long)(await first.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return (head, firstOfTenant, dropped);
    }

    /// <summary>
    /// Folds a batch into a session of its own; returns its commit, begun once the batch before has committed and the
    /// report indexes are built, if begun. Only the last batch, <paramref name="through"/> the head, moves the progress.
    /// </summary>
    private async Task<Task> FoldAsync(IReadOnlyList<IEvent> events, long? through, Task writing, Task? indexing, CancellationToken ct)
    {
        var session = store.LightweightSession();
        try
        {
            if (through is null)
            {
                // The progress stays at nothing until the last batch: should the server lose the commits before it in a
                // crash, the next start folds every event again, so none of them need wait for the disk.
                session.QueueSqlCommand("set local synchronous_commit = off");
            }

            await projection.PrepareAsync(session, events, through, () => writing, ct);
            foreach (var e in events)
            {
                await projection.ApplyAsync(session, e, ct);
            }

            if (through is not null)
            {
                TimelineRows.QueueNamed(session, $"select {StoreTables.MarkProgression}(p.shard, p.through) from {TimelineRows.Parameters("shard text", "through bigint")}",
                    new { Shard, Through = through });
            }

            await writing;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return CommitAsync(session, indexing ?? Task.CompletedTask, ct);
    }

    private static async Task CommitAsync(IDocumentSession session, Task indexing, CancellationToken ct)
    {
        await using (session)
        {
            await indexing;
            await session.SaveChangesAsync(ct);
        }
    }
}

/// <summary>How far a rebuild is: <paramref name="Folded"/> events of the store's <paramref name="Head"/> (other tenants' and types' included).</summary>
public sealed record RebuildProgress(long Folded, long Head);
