using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Host.Deals;

namespace Funnel.Host.Activities;

/// <summary>
/// Logs an activity in one transaction: the named deal is locked as a deal command would lock it (its version moves),
/// the pure decision decides, and the event is appended with the claim on its id, or nothing is.
/// </summary>
public sealed class ActivityRecorder(IDocumentSession session, TimeProvider clock, CommandCaller caller)
{
    public async Task<(ActivityAnswer? Answer, Rejection? Rejection)> LogAsync(LogActivity command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var activityId = command.ActivityId ?? Guid.CreateVersion7(now).ToString("N");
        var stream = command.DealId is { } dealId && command.CheckInput(now) is null ? await session.Events.FetchForExclusiveWriting<Deal>(dealId, ct) : null;
        var decision = command.Decide(stream?.Aggregate, activityId, now);
        if (decision.Rejection is { } rejection)
        {
            return (null, rejection);
        }

        var logged = (ActivityLogged)decision.Events.Single();
        if (command.ActivityId is not null && await session.LoadAsync<LoggedActivity>(activityId, ct) is { } earlier)
        {
            return Retry(earlier, logged);
        }

        long? version = null;
        if (stream is not null)
        {
            stream.AppendOne(logged);
            version = (stream.StartingVersion ?? 0) + 1;
        }
        else
        {
            await LockRepStreamAsync(LogActivity.RepStream(logged.Rep), ct);
            session.Events.Append(LogActivity.RepStream(logged.Rep), logged);
        }

        session.Insert(new LoggedActivity { Id = activityId, Event = logged, DealVersion = version });
        caller.Stamp(session);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // The same id logged by a concurrent request: answer as a retry of it.
            session.EjectAllPendingChanges();
            await using var query = session.DocumentStore.QuerySession(session.TenantId);
            return Retry(await query.LoadAsync<LoggedActivity>(activityId, ct) ?? throw new InvalidOperationException("Activity claim vanished."), logged);
        }

        return (new ActivityAnswer(activityId, logged.DealId, version, Created: true, logged), null);
    }

    /// <summary>
    /// A rep's own stream has no deal document to lock and may not exist yet: concurrent first activities would both try
    /// to start it. A transaction lock on its name (and tenant) makes them queue instead.
    /// </summary>
    private async Task LockRepStreamAsync(string streamId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await session.AdvancedSql.QueryAsync<int>("select 1 from pg_advisory_xact_lock(hashtextextended(?, 0))", ct, $"{session.TenantId}/{streamId}");
    }

    private static (ActivityAnswer?, Rejection?) Retry(LoggedActivity earlier, ActivityLogged again) =>
        LogActivity.AgainstEarlier(earlier.Event, again) is { } conflict
            ? (null, conflict)
            : (new ActivityAnswer(earlier.Id, earlier.Event.DealId, earlier.DealVersion, Created: false, earlier.Event), null);
}
