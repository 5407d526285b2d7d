using Funnel.Domain.Access;
using Funnel.Projections.Timeline;

namespace Funnel.Projections;

/// <summary>
/// Where a tenant's data lives. Events and documents share Marten's tables, each row marked with its tenant (conjoined
/// tenancy); each tenant's read models are a schema of their own, written by a projection of their own, so every
/// report's index, plan and counter is the tenant's alone, and a report that forgot a filter still could not reach
/// another tenant's rows. The default tenant keeps the schema and names Funnel had before tenants.
/// </summary>
public static class TenantStorage
{
    /// <summary>Marten's own name for the tenant of a store without tenants, which the default tenant's rows carry.</summary>
    public const string MartenDefault = "*DEFAULT*";

    /// <summary>The tenant id Marten stores on the tenant's events and documents.</summary>
    public static string MartenId(string tenant) => tenant == Tenants.Default ? MartenDefault : tenant;

    /// <summary>The tenant a Marten tenant id stands for (null, as Marten leaves it for the default, included).</summary>
    public static string FromMarten(string? martenId) => martenId is null or MartenDefault ? Tenants.Default : martenId;

    /// <summary>The schema of the tenant's read models.</summary>
    public static string ReadModelSchema(string tenant) => tenant == Tenants.Default ? TimelineTables.Schema : $"{StoreTables.Schema}_tenant_{tenant}";

    public static TimelineTableSet ReadModels(string tenant) => tenant == Tenants.Default ? TimelineTables.Live : new TimelineTableSet(ReadModelSchema(tenant));

    /// <summary>The name of the projection that writes the tenant's read models (its progress is kept under it).</summary>
    public static string ProjectionName(string tenant) => tenant == Tenants.Default ? TimelineProjection.ProjectionName : $"{TimelineProjection.ProjectionName}_{tenant}";

    /// <summary>The projection's one shard: its name in the daemon and in mt_event_progression.</summary>
    public static string ShardName(string tenant) => ShardOf(ProjectionName(tenant));

    /// <summary>The one shard of the projection named <paramref name="projection"/> (a tenant's, or verify's copy).</summary>
    public static string ShardOf(string projection) => projection + ":All";
}
