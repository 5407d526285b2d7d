using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using Funnel.Host.Deals;

namespace Funnel.Host.Activities;

/// <summary>
/// Logs activities in one transaction, one or a batch: the deals they name are locked as a deal command would lock them
/// (their versions move), the reps' own streams by name, the pure decision decides each, and each accepted one is
/// appended with the claim on its id. A refused one stores nothing and keeps no other from being stored.
/// </summary>
public sealed class ActivityRecorder(IDocumentSession session, TimeProvider clock, CommandCaller caller)
{
    /// <summary>The most activities one request logs.</summary>
    public const int MaxBatch = DealBatch.MaxCommands;

    public async Task<(ActivityAnswer? Answer, Rejection? Rejection)> LogAsync(LogActivity command, CancellationToken ct) => (await LogManyAsync([command], ct))[0];

    public async Task<IReadOnlyList<(ActivityAnswer? Answer, Rejection? Rejection)>> LogManyAsync(IReadOnlyList<LogActivity> commands, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = commands.Select(c => c.ActivityId ?? Guid.CreateVersion7(now).ToString("N")).ToList();
        var valid = commands.Where(c => c.CheckInput(now) is null).ToList();
        await session.BeginTransactionAsync(ct);
        var dealIds = valid.Select(c => c.DealId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await DealLocks.LockAsync(session, dealIds, ct);
        foreach (var stream in valid.Where(c => c.DealId is null).Select(c => LogActivity.RepStream(c.Rep!.Trim())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await LockRepStreamAsync(stream, ct);
        }

        var deals = (await session.LoadManyAsync<Deal>(ct, dealIds)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var claims = (await session.LoadManyAsync<LoggedActivity>(ct, [.. commands.Select(c => c.ActivityId).OfType<string>().Distinct(StringComparer.Ordinal)]))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        var versions = deals.ToDictionary(d => d.Key, d => (long)d.Value.Version, StringComparer.Ordinal);
        var appends = new Dictionary<string, List<object>>(StringComparer.Ordinal);
        var decided = new List<(ActivityLogged? Logged, ActivityAnswer? Answer, Rejection? Rejection)>();
        foreach (var (command, id) in commands.Zip(ids))
        {
            var decision = command.Decide(command.DealId is { } named ? deals.GetValueOrDefault(named) : null, id, now);
            if (decision.Rejection is { } rejection)
            {
                decided.Add((null, null, rejection));
                continue;
            }

            var logged = (ActivityLogged)decision.Events.Single();
            if (claims.TryGetValue(id, out var earlier))
            {
                var (answer, refused) = Retry(earlier, logged);
                decided.Add((logged, answer, refused));
                continue;
            }

            var streamId = logged.DealId ?? LogActivity.RepStream(logged.Rep);
            (appends.TryGetValue(streamId, out var events) ? events : appends[streamId] = []).Add(logged);
            long? version = logged.DealId is { } dealId ? versions[dealId] += 1 : null;
            claims[id] = new LoggedActivity { Id = id, Event = logged, DealVersion = version };
            session.Insert(claims[id]);
            decided.Add((logged, new ActivityAnswer(id, logged.DealId, version, Created: true, logged), null));
        }

        foreach (var (streamId, events) in appends)
        {
            if (deals.TryGetValue(streamId, out var deal))
            {
                session.Events.Append(streamId, deal.Version + events.Count, [.. events]);
            }
            else
            {
                session.Events.Append(streamId, [.. events]);
            }
        }

        caller.Stamp(session);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // An id claimed meanwhile by a concurrent request, so nothing of this transaction was stored: what that request
            // logged is answered as a retry of it; the rest is refused, to be sent again.
            session.EjectAllPendingChanges();
            await using var query = session.DocumentStore.QuerySession(session.TenantId);
            var claimedNow = (await query.LoadManyAsync<LoggedActivity>(ct, [.. ids])).ToDictionary(c => c.Id, StringComparer.Ordinal);
            return [.. decided.Zip(ids).Select(d => d.First.Logged is { } logged && d.First.Answer is { Created: true }
                ? claimedNow.TryGetValue(d.Second, out var theirs) ? Retry(theirs, logged) : (null, Raced)
                : (d.First.Answer, d.First.Rejection))];
        }

        return [.. decided.Select(d => (d.Answer, d.Rejection))];
    }

    private static readonly Rejection Raced = Rejection.Conflict("activityId", "activity-race",
        "Another request logged one of this batch's activities meanwhile, so none of it was stored; send it again (what is logged is then answered as before).");

    /// <summary>
    /// A rep's own stream has no deal document to lock and may not exist yet: concurrent first activities would both try
    /// to start it. A transaction lock on its name (and tenant) makes them queue instead.
    /// </summary>
    private Task LockRepStreamAsync(string streamId, CancellationToken ct) =>
        session.AdvancedSql.QueryAsync<int>("select 1 from pg_advisory_xact_lock(hashtextextended(?, 0))", ct, $"{session.TenantId}/{streamId}");

    private static (ActivityAnswer?, Rejection?) Retry(LoggedActivity earlier, ActivityLogged again) =>
        LogActivity.AgainstEarlier(earlier.Event, again) is { } conflict
            ? (null, conflict)
            : (new ActivityAnswer(earlier.Id, earlier.Event.DealId, earlier.DealVersion, Created: false, earlier.Event), null);
}
