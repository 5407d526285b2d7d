using Funnel.Host.Events;
using Funnel.Projections.Reports;

namespace Funnel.Host.Reports;

/// <summary>
/// How fresh an answer is, as its caller may see it: the cursor of the last of the tenant's events its read models
/// include (GET /api/events?after= lists what they do not yet), and how many of the tenant's events and seconds they lag.
/// </summary>
public sealed record ReportFreshness(string Cursor, long LagEvents, double LagSeconds)
{
    public static async Task<ReportFreshness> ReadAsync(ReportDatabase db, EventCursors cursors, CancellationToken ct)
    {
        var freshness = await Freshness.ReadAsync(db, ct);
        var cursorOf = await cursors.ForAsync(db.Tenant, ct);
        return new(cursorOf(freshness.HighestSequence), freshness.LagEvents, freshness.LagSeconds);
    }
}
