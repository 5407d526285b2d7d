using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;
using JasperFx;
using JasperFx.Events;
using Marten.Exceptions;
using Wolverine;

namespace Funnel.Host.Deals;

/// <summary>
/// Runs a deal command for HTTP and messages alike: loads the deal and its pipeline, lets the pure decision
/// decide, appends its events, and records the answer under the Idempotency-Key, all in one transaction.
/// </summary>
public sealed class DealCommandRunner(IDocumentSession session, TimeProvider clock, CommandCaller httpCaller, MessageAccess messageAccess, Pipelines.PipelineCache pipelines)
{
    /// <summary>The HTTP request's caller; on the message path, the message's key (set before the command runs).</summary>
    private CommandCaller caller = httpCaller;

    /// <summary>How often a command without expectedVersion is decided again after losing a race.</summary>
    public const int MaxAttempts = 5;

    public async Task<CommandOutcome> CaptureAsync(CaptureDeal command, CancellationToken ct)
    {
        var dealId = command.DealId ?? Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
        if (await PriorAnswerAsync(command.DealId, ct) is { } prior)
        {
            return prior;
        }

        // Whether the deal exists is not asked first: starting its stream again fails on commit, and is refused as a duplicate there.
        var pipeline = command.PipelineId is null ? null : await pipelines.LoadAsync(session, command.PipelineId, ct);
        var decision = (command with { DealId = dealId }).Decide(pipeline, dealExists: false, clock.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return CommandOutcome.Refused(dealId, rejection);
        }

        session.Events.StartStream<Deal>(dealId, decision.Events);
        return await CommitAsync(new CommandOutcome(dealId, decision.Events.Count, Created: true), ct);
    }

    /// <summary>
    /// Runs a command on an existing deal. Without an expectedVersion the caller asked for "the deal as it is now": writers
    /// queue on the deal, and a race lost all the same is decided again against the new state, a few times, before it is a 409.
    /// </summary>
    public async Task<CommandOutcome> ExecuteAsync(IDealCommand command, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await ExecuteOnceAsync(command, ct);
            if (outcome.Rejection?.Rule != DealRules.VersionConflictRule || command.ExpectedVersion is not null || attempt == MaxAttempts)
            {
                return outcome;
            }
        }
    }

    private async Task<CommandOutcome> ExecuteOnceAsync(IDealCommand command, CancellationToken ct)
    {
        if (await PriorAnswerAsync(command.DealId, ct) is { } prior)
        {
            return prior;
        }

        IEventStream<Deal> stream;
        try
        {
            // Without an expectedVersion, writers of one deal queue on its stream row instead of racing.
            stream = command.ExpectedVersion is { } expected
                ? await session.Events.FetchForWriting<Deal>(command.DealId, expected, ct)
                : await session.Events.FetchForExclusiveWriting<Deal>(command.DealId, ct);
        }
        catch (ConcurrencyException)
        {
            return CommandOutcome.Refused(command.DealId, DealRules.VersionConflict(command.ExpectedVersion));
        }

        if (stream.Aggregate is not { } deal)
        {
            return CommandOutcome.Refused(command.DealId, DealRules.UnknownDeal(command.DealId));
        }

        var pipeline = await pipelines.LoadAsync(session, deal.PipelineId, ct)
            ?? throw new InvalidOperationException($"Deal '{deal.Id}' names pipeline '{deal.PipelineId}', which has no definition.");
        var decision = command.Decide(deal, pipeline, clock.GetUtcNow());
        if (decision.Rejection is { } rejection)
        {
            return CommandOutcome.Refused(command.DealId, rejection);
        }

        stream.AppendMany(decision.Events);
        return await CommitAsync(new CommandOutcome(deal.Id, (stream.StartingVersion ?? 0) + decision.Events.Count, Created: false), ct);
    }

    /// <summary>
    /// The message path: the message's key is checked first; a refusal is thrown, so the message is retried (a lost race)
    /// or dead-lettered (a broken rule, a refused key).
    /// </summary>
    public async Task<DealCommandResult> ExecuteMessageAsync(IDealCommand command, Envelope? envelope, CancellationToken ct)
    {
        await AdmitMessageAsync(envelope, ct);
        return MessageResult(await ExecuteAsync(command, ct), command.ExpectedVersion is null);
    }

    public async Task<DealCommandResult> CaptureMessageAsync(CaptureDeal command, Envelope? envelope, CancellationToken ct)
    {
        await AdmitMessageAsync(envelope, ct);
        return MessageResult(await CaptureAsync(command, ct), retryOnConflict: false);
    }

    private async Task AdmitMessageAsync(Envelope? envelope, CancellationToken ct)
    {
        caller = CommandCaller.OfMessage(await messageAccess.CheckAsync(envelope, Scopes.CommandsWrite, ct), envelope);
    }

    private static DealCommandResult MessageResult(CommandOutcome outcome, bool retryOnConflict) =>
        outcome.Rejection is { } rejection
            ? throw new DealCommandRejectedException(outcome.DealId, rejection, retryable: retryOnConflict && rejection.Rule == DealRules.VersionConflictRule)
            : new DealCommandResult(outcome.DealId, outcome.Version);

    private async Task<CommandOutcome> CommitAsync(CommandOutcome outcome, CancellationToken ct)
    {
        if (caller.IdempotencyKey is { } key)
        {
            session.Insert(new IdempotentAnswer { Id = key, DealId = outcome.DealId, Version = outcome.Version, Created = outcome.Created });
        }

        caller.Stamp(session);
        try
        {
            await session.SaveChangesAsync(ct);
            return outcome;
        }
        catch (Exception e) when (e is ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException)
        {
            // On the message path Wolverine's transaction saves the session again after the handler: leave it nothing to retry.
            session.EjectAllPendingChanges();
            return CommandOutcome.Refused(outcome.DealId, outcome.Created
                ? CaptureDeal.Duplicate(outcome.DealId)
                : DealRules.VersionConflict(null));
        }
        catch (DocumentAlreadyExistsException)
        {
            session.EjectAllPendingChanges();

            // A concurrent retry under the same key won the race: answer as it did.
            return await PriorAnswerAsync(outcome.DealId, ct) ?? throw new InvalidOperationException("Idempotency record vanished.");
        }
    }

    private async Task<CommandOutcome?> PriorAnswerAsync(string? dealId, CancellationToken ct)
    {
        if (caller.IdempotencyKey is not { } key)
        {
            return null;
        }

        await using var query = session.DocumentStore.QuerySession(session.TenantId);
        var answer = await query.LoadAsync<IdempotentAnswer>(key, ct);
        if (answer is null)
        {
            return null;
        }

        return dealId is null || answer.DealId == dealId
            ? new CommandOutcome(answer.DealId, answer.Version, answer.Created)
            : CommandOutcome.Refused(dealId, Rejection.Conflict("Idempotency-Key", "idempotency-key-reused", $"This Idempotency-Key already answered a command on deal '{answer.DealId}'."));
    }
}
