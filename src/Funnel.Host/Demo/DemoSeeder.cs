using Funnel.Domain.Targets;
using Funnel.Domain.Pipelines;
using Funnel.Host.Deals;

namespace Funnel.Host.Demo;

/// <summary>Loads the demo history into an empty private store at start-up, so a newcomer sees a living funnel at once.</summary>
public sealed class DemoSeeder(IDocumentStore store, TimeProvider clock, IConfiguration configuration, ILogger<DemoSeeder> logger) : IHostedService
{
    public const int BatchSize = 500;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var query = store.QuerySession())
        {
            if (await query.Events.QueryAllRawEvents().AnyAsync(cancellationToken))
            {
                return;
            }
        }

        var count = configuration.GetValue("Funnel:Demo:Deals", 3000);

        // A configured last day gives the same history whatever the day it is loaded (documentation, training, screenshots),
        // recorded as it would have been by that day's midnight.
        var last = configuration.GetValue<DateOnly?>("Funnel:Demo:End");
        var end = new DateTimeOffset((last ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var seededAt = last is null ? clock.GetUtcNow() : end;
        logger.LogInformation("Empty store: loading the demo pipeline '{Pipeline}' and {Count} deals over the year to {End:yyyy-MM-dd}", DemoHistory.PipelineId, count, end);
        var appended = await SeedAsync(store, count, end, seededAt, cancellationToken);
        logger.LogInformation("Demo loaded: {Events} events. Try GET /api/deals/demo-00001", appended);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Appends the pipeline, its targets and the reps' own activities, then writes the deals by COPY, <see cref="BatchSize"/>
    /// at a time; each event recorded as <see cref="DemoRecording"/> says (the pipeline and the targets an hour after they
    /// take effect), never after <paramref name="seededAt"/>.
    /// </summary>
    public static async Task<int> SeedAsync(IDocumentStore store, int count, DateTimeOffset end, DateTimeOffset seededAt, CancellationToken ct)
    {
        var appended = 1;
        await using (var session = store.LightweightSession())
        {
            var pipeline = DemoHistory.Pipeline(end.AddDays(-365));
            session.Events.StartStream<Pipeline>(DemoHistory.PipelineId, pipeline).Events[0].Timestamp = pipeline.OccurredAt.AddHours(1);
            foreach (var targets in DemoHistory.Targets(end))
            {
                session.Events.StartStream<TargetPlan>(TargetPlan.IdOf(targets.PipelineId, targets.Period), targets).Events[0].Timestamp = targets.OccurredAt.AddHours(1);
                appended++;
            }

            foreach (var (streamId, events) in DemoHistory.Prospecting(end))
            {
                var stream = session.Events.StartStream(streamId, events);
                var recorded = DemoRecording.RecordedTimes(streamId, events, seededAt);
                for (var i = 0; i < recorded.Length; i++)
                {
                    stream.Events[i].Timestamp = recorded[i];
                }

                appended += events.Count;
            }

            await session.SaveChangesAsync(ct);
        }

        foreach (var batch in DemoHistory.Deals(count, end).Chunk(BatchSize))
        {
            await NewDealStreams.WriteAsync(store, Tenants.Default, batch, actor: null, ct, recordedAt: (id, events) => DemoRecording.RecordedTimes(id, events, seededAt));
            appended += batch.Sum(d => d.Events.Count);
        }

        return appended;
    }
}
