using Funnel.Domain.Activities;
using Funnel.Domain.Deals;

namespace Funnel.Host.Deals;

/// <summary>
/// One stored event of a deal, with who and what caused it: the actor is the API key's name (or, on an open service,
/// X-Funnel-Actor), onBehalfOf the X-Funnel-Actor a keyed call named.
/// </summary>
public sealed record HistoryEntry(
    long Version, string Type, object Data, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt,
    string? Actor, string? OnBehalfOf, string? CorrelationId, string? CausationId, string? TraceId);

public sealed record DealHistory(string DealId, IReadOnlyList<HistoryEntry> Events);

[Tags("Deals"), RequiresScope(Scopes.EventsRead)]
public static class GetDealHistoryEndpoint
{
    /// <summary>Every event of the deal in order, the activities logged on it among them: the audit trail (one stream, read as stored).</summary>
    [WolverineGet("/api/deals/{dealId}/history", OperationId = "getDealHistory", Summary = "Every event of the deal in order, with who caused it: the audit trail.")]
    [ProducesResponseType<DealHistory>(StatusCodes.Status200OK)]
    [Refuses(StatusCodes.Status404NotFound)]
    public static async Task<IResult> Get(string dealId, IQuerySession session, CancellationToken ct)
    {
        var events = (await session.Events.FetchStreamAsync(dealId, token: ct)).Where(e => e.Data is IDealEvent or ActivityLogged).ToList();
        if (!events.Any(e => e.Data is DealCaptured))
        {
            return Problems.From(Rejection.NotFound("dealId", "unknown-deal", $"There is no deal '{dealId}'."));
        }

        return Results.Ok(new DealHistory(dealId, events.Select(e => new HistoryEntry(
            e.Version, e.EventTypeName, e.Data, e.Data is ActivityLogged a ? a.OccurredAt : ((IDealEvent)e.Data).OccurredAt, e.Timestamp,
            Header(e.Headers, CommandCaller.ActorEventHeader), Header(e.Headers, CommandCaller.OnBehalfOfEventHeader), e.CorrelationId, e.CausationId, Header(e.Headers, "traceId"))).ToList()));
    }

    private static string? Header(Dictionary<string, object>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value?.ToString() : null;
}
