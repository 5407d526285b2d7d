using Funnel.Domain.Deals;
using Funnel.Projections.Deals;
using Funnel.Projections.Pipelines;
using Funnel.Projections.Timeline;
using JasperFx.Events.Projections;
using Marten;

namespace Funnel.Projections;

/// <summary>Every read model Funnel keeps, registered in one place.</summary>
public static class FunnelProjections
{
    /// <param name="tenants">The tenants: each has a timeline projection of its own, into its own schema.</param>
    /// <param name="cachedDeals">How many deals each timeline projection keeps in memory between batches (about 2 KB each).</param>
    /// <param name="calendar">The organisation's days, which the dated counters are cut into.</param>
    /// <param name="recountBehind">How far behind the head each timeline projection may fall and still count batch by batch.</param>
    public static StoreOptions AddFunnelProjections(
        this StoreOptions options, IEnumerable<string> tenants, CounterCalendar calendar, int cachedDeals = TimelineProjection.DefaultCachedDeals,
        int recountBehind = TimelineProjection.DefaultRecountBehind)
    {
        // Inline: a command's decision and GET /api/deals/{id} read the state written in the command's own transaction.
        options.Projections.Add<DealProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<PipelineProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<Targets.TargetPlanProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Deal>().Index(d => d.PipelineId).Index(d => d.Owner);

        // Async, in the daemon: the reports' time-bounded rows. A failing event stops the projection rather than being skipped.
        foreach (var tenant in tenants)
        {
            options.Projections.Add(new TimelineProjection(tenant, cachedDeals: cachedDeals, calendar: calendar, recountBehind: recountBehind), ProjectionLifecycle.Async);
        }

        options.Projections.Errors.SkipApplyErrors = false;
        options.Projections.Errors.SkipSerializationErrors = false;
        options.Projections.Errors.SkipUnknownEvents = false;
        return options;
    }
}
