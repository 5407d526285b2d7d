using System.Diagnostics;
using Funnel.Domain.Deals;
using Funnel.Domain.Importing;
using Funnel.Domain.Pipelines;
using Funnel.Host.Deals;
using Funnel.Host.Tenancy;

namespace Funnel.Host.Importing;

/// <summary>A row the importer did not take, and why, with its line in the source.</summary>
public sealed record RejectedRow(int Line, string DealId, string Field, string Rule, string Reason);

public sealed record ImportSummary(int RowsRead, int Deals, int EventsAppended, int RowsSkipped, IReadOnlyList<RejectedRow> Rejected, double Seconds)
{
    public override string ToString() =>
        $"rows read {RowsRead:N0}, deals {Deals:N0}, events appended {EventsAppended:N0}, rows skipped {RowsSkipped:N0}, rows rejected {Rejected.Count:N0}, {Seconds:F1} s";
}

/// <summary>
/// Imports deal histories through the same decisions as the API, a batch of deals at a time: the events of new deals
/// and their documents by COPY, the events of deals already stored appended as a command would.
/// Idempotent: a row no later than what the store already holds for its deal was imported before, and is skipped.
/// </summary>
/// <param name="tenant">The tenant whose deals the rows are.</param>
public sealed class DealImporter(IDocumentStore store, TimeProvider clock, string tenant = Tenants.Default)
{
    public const int BatchSize = 500;

    public async Task<ImportSummary> ImportAsync(
        string pipelineId, IReadOnlyList<IGrouping<string, HistoryRow>> deals, IReadOnlyList<RejectedRow> unreadable, IImportProgress progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var rows = deals.Sum(d => d.Count()) + unreadable.Count;
        var (appended, skipped, done) = (0, 0, unreadable.Count);
        var rejected = new List<RejectedRow>(unreadable);
        await using (var query = store.QuerySessionOf(tenant))
        {
            if (await query.LoadAsync<Pipeline>(pipelineId, ct) is null)
            {
                throw new InvalidOperationException($"There is no pipeline '{pipelineId}': define it first (PUT /api/pipelines/{pipelineId}).");
            }
        }

        foreach (var batch in deals.Chunk(BatchSize))
        {
            await using var session = store.SessionOf(tenant);
            session.SetHeader(CommandCaller.ActorEventHeader, "import");
            var pipeline = (await session.LoadAsync<Pipeline>(pipelineId, ct))!;
            var existing = await NewDealStreams.CompleteAsync(session, [.. batch.Select(d => d.Key)], ct);
            var newDeals = new List<(string DealId, IReadOnlyList<object> Events)>();
            foreach (var deal in batch)
            {
                var before = existing.GetValueOrDefault(deal.Key);
                var state = before?.Copy();
                var events = new List<object>();
                foreach (var row in deal)
                {
                    if (before is not null && row.OccurredAt <= before.LastOccurredAt)
                    {
                        skipped++;
                        continue;
                    }

                    var (rowEvents, rejection) = Decide(row, state, pipeline, pipelineId);
                    if (rejection is not null)
                    {
                        rejected.Add(new RejectedRow(row.Line, row.DealId, rejection.Field, rejection.Rule, rejection.Message));
                        continue;
                    }

                    events.AddRange(rowEvents);
                    state = rowEvents.Aggregate(state, Deal.Evolve);
                }

                if (events.Count == 0)
                {
                    continue;
                }

                appended += events.Count;
                if (before is null)
                {
                    newDeals.Add((deal.Key, events));
                }
                else
                {
                    session.Events.Append(deal.Key, before.Version + events.Count, [.. events]);
                }
            }

            // A run stopped between the two bulk writes left streams without documents: the next completes them (above).
            await NewDealStreams.WriteAsync(store, tenant, newDeals, "import", ct);

            await session.SaveChangesAsync(ct);
            done += batch.Sum(d => d.Count());
            progress.Report(done, rows, watch.Elapsed);
        }

        return new ImportSummary(rows, deals.Count, appended, skipped, rejected.OrderBy(r => r.Line).ToList(), watch.Elapsed.TotalSeconds);
    }

    /// <summary>A row is all or nothing: if any of its commands is refused, none of its events are kept.</summary>
    private (List<object> Events, Rejection? Rejection) Decide(HistoryRow row, Deal? state, Pipeline pipeline, string pipelineId)
    {
        if (row.Validate() is { } invalid)
        {
            return ([], invalid);
        }

        var events = new List<object>();
        state = state?.Copy();
        foreach (var command in row.ToCommands(state, pipelineId))
        {
            var decision = command switch
            {
                CaptureDeal capture => capture.Decide(pipeline, state is not null, clock.GetUtcNow()),
                IDealCommand change => change.Decide(state!, pipeline, clock.GetUtcNow()),
                _ => throw new InvalidOperationException($"Unexpected import command {command.GetType().Name}"),
            };
            if (decision.Rejection is { } rejection)
            {
                return ([], rejection);
            }

            events.AddRange(decision.Events);
            state = decision.Events.Aggregate(state, Deal.Evolve);
        }

        return (events, null);
    }
}
