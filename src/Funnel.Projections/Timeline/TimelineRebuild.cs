using JasperFx.Events;
using Marten;
using Npgsql;

namespace Funnel.Projections.Timeline;

/// <summary>
/// One tenant's timeline rebuilt from its first event: its tables emptied, then the events folded a batch at a time by
/// the projection as the daemon folds them, but each batch's rows committed while the next batch folds. The daemon folds
/// and writes in turn, so on two cores the service and PostgreSQL each spent half a rebuild waiting for the other. Each
/// batch commits with the projection's progress, as the daemon's do: a rebuild stopped halfway leaves a consistent
/// store, which the daemon goes on from. The indexes only reports read are dropped with the rows and built again in
/// bulk near the end (<see cref="ReportIndexes"/>): kept, each batch's rows updated them one by one, most of what
/// PostgreSQL spent on a batch.
/// </summary>
public sealed class TimelineRebuild(IDocumentStore store, TimelineProjection projection, int batchSize = TimelineProjection.DefaultBatchSize)
{
    /// <summary>The projection's one shard, as the daemon names it in its progress.</summary>
    public string Shard => TenantStorage.ShardOf(projection.Name);

    /// <summary>
    /// Rebuilds through the store's newest event; returns how many events it folded. <paramref name="progress"/> hears,
    /// after each batch, how many it has folded, how far in the store's sequence, and where the store ends.
    /// </summary>
    public async Task<long> RunAsync(IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var (head, dropped) = await EmptyAsync(ct);
        var (folded, batch, writing) = (0L, new List<IEvent>(batchSize), Task.CompletedTask);
        var events = RebuildEvents.ReadAsync((DocumentStore)store, projection.MartenTenant, TimelineProjection.EventTypes, head, ct);

        // The report indexes are built while the counters are counted (the batch that comes within a batch of the head
        // counts them, reading rows by no report index). A commit that met an index being built would wait for it inside
        // a statement with a timeout: so the indexes begin once the batch before is committed, and the batches after
        // commit once they are built.
        Task? indexing = null;
        async Task IndexFromAsync(long through)
        {
            if (indexing is null && head - through < batchSize)
            {
                await writing;
                indexing = ReportIndexes.BuildAsync(((DocumentStore)store).Storage.Database.CreateConnection, dropped, ct);
            }
        }

        await foreach (var e in events)
        {
            batch.Add(e);
            if (batch.Count == batchSize)
            {
                await IndexFromAsync(e.Sequence);
                writing = await FoldAsync(batch, e.Sequence, writing, indexing, ct);
                (folded, batch) = (folded + batch.Count, new List<IEvent>(batchSize));
                progress?.Report(new RebuildProgress(folded, e.Sequence, head));
            }
        }

        // The last batch reaches the head, other tenants' events included: the counters are counted there if they are owed.
        await IndexFromAsync(head);
        writing = await FoldAsync(batch, head, writing, indexing, ct);
        await writing;
        await indexing!;
        return folded + batch.Count;
    }

    /// <summary>
    /// Empties the projection's tables, drops the indexes only reports read and sets its progress to nothing, in one
    /// transaction; returns the store's newest event and the indexes dropped.
    /// </summary>
    private async Task<(long Head, IReadOnlyList<string> Dropped)> EmptyAsync(CancellationToken ct)
    {
        await using var connection = ((DocumentStore)store).Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var dropped = await ReportIndexes.DropAsync(connection, projection.Tables.All, ct);
        await using var empty = new NpgsqlCommand(
            $"truncate {string.Join(", ", projection.Tables.All.Select(t => t.Identifier.QualifiedName))}; select {StoreTables.MarkProgression}(@shard, 0)", connection, transaction);
        empty.Parameters.AddWithValue("shard", Shard);
        await empty.ExecuteNonQueryAsync(ct);
        await using var newest = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {StoreTables.Events}", connection, transaction);
        var head = (long)(await newest.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return (head, dropped);
    }

    /// <summary>Folds a batch into a session of its own; returns its commit, begun once the batch before has committed and the report indexes are built, if begun.</summary>
    private async Task<Task> FoldAsync(IReadOnlyList<IEvent> events, long through, Task writing, Task? indexing, CancellationToken ct)
    {
        var session = store.LightweightSession();
        try
        {
            // A batch commits with the progress it reaches: should the server lose its last commits in a crash, the
            // rebuild (or the daemon after it) goes on from the progress that survived, so no commit need wait for the disk.
            session.QueueSqlCommand("set local synchronous_commit = off");
            await projection.PrepareAsync(session, events, through, () => writing, ct);
            foreach (var e in events)
            {
                await projection.ApplyAsync(session, e, ct);
            }

            TimelineRows.QueueNamed(session, $"select {StoreTables.MarkProgression}(p.shard, p.through) from {TimelineRows.Parameters("shard text", "through bigint")}",
                new { Shard, Through = through });
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

/// <summary>How far a rebuild is: <paramref name="Folded"/> events, up to <paramref name="Through"/> in the store's sequence, which ends at <paramref name="Head"/>.</summary>
public sealed record RebuildProgress(long Folded, long Through, long Head);
