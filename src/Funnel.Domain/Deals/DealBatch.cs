using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Deals;

/// <summary>One command of a batch, decided: the deal and its version after it (and whether it was new), or why it was refused.</summary>
public sealed record BatchedResult(string DealId, long Version, bool Created, Rejection? Rejection = null);

/// <summary>What one deal's stream takes from a batch: its events, after the version the stream had (0 for a new deal).</summary>
public sealed record BatchedAppend(string DealId, int VersionBefore, IReadOnlyList<object> Events);

/// <summary>
/// Many deal commands at once, as a service posts a day of changes. Each command is decided in order against the deal
/// as the commands before it left it, by the same decision as when it comes alone, and is all or nothing: a refused
/// command adds no event, and the commands after it go on.
/// </summary>
public static class DealBatch
{
    public const int MaxCommands = 1000;

    /// <summary>Why a batch of <paramref name="count"/> commands is refused whole, or null.</summary>
    public static Rejection? CheckSize(int count, string field) =>
        count is > 0 and <= MaxCommands ? null : Rejection.Invalid(field, "batch-size", $"A batch holds 1 to {MaxCommands:N0} commands.");

    /// <summary>The deal a batch's command names (a capture's, given it by then).</summary>
    public static string DealIdOf(object command) => command switch
    {
        CaptureDeal capture => capture.DealId!,
        IDealCommand change => change.DealId,
        _ => throw new ArgumentException($"Not a deal command: {command.GetType().Name}", nameof(command)),
    };

    /// <param name="commands">Each a <see cref="CaptureDeal"/> (with its dealId) or an <see cref="IDealCommand"/>.</param>
    /// <param name="deals">The deals the commands name, as stored; a deal missing here does not exist.</param>
    /// <param name="pipelines">The pipelines of those deals and of the captures; one missing here does not exist.</param>
    public static (IReadOnlyList<BatchedResult> Results, IReadOnlyList<BatchedAppend> Appends) Decide(
        IReadOnlyList<object> commands, IReadOnlyDictionary<string, Deal> deals, IReadOnlyDictionary<string, Pipeline> pipelines, DateTimeOffset now)
    {
        var working = new Dictionary<string, Deal>();
        var appends = new Dictionary<string, (int VersionBefore, List<object> Events)>();
        var results = new List<BatchedResult>(commands.Count);
        foreach (var command in commands)
        {
            var dealId = DealIdOf(command);
            var deal = command is CaptureDeal ? null : working.GetValueOrDefault(dealId) ?? deals.GetValueOrDefault(dealId);
            var decision = command switch
            {
                CaptureDeal capture => capture.Decide(
                    capture.PipelineId is null ? null : pipelines.GetValueOrDefault(capture.PipelineId),
                    working.ContainsKey(dealId) || deals.ContainsKey(dealId), now),
                IDealCommand when deal is null => DealRules.UnknownDeal(dealId),
                IDealCommand change when change.ExpectedVersion is { } expected && expected != deal!.Version => DealRules.VersionConflict(expected),
                IDealCommand change => change.Decide(deal!, pipelines[deal!.PipelineId], now),
                _ => throw new InvalidOperationException(),
            };
            if (decision.Rejection is { } rejection)
            {
                results.Add(new BatchedResult(dealId, 0, false, rejection));
                continue;
            }

            if (!appends.TryGetValue(dealId, out var append))
            {
                append = appends[dealId] = (deal?.Version ?? 0, []);
            }

            append.Events.AddRange(decision.Events);

            // The stored deal is the caller's: the batch folds its events onto a copy, made once.
            var current = deal is null || working.ContainsKey(dealId) ? deal : deal.Copy();
            deal = working[dealId] = decision.Events.Aggregate(current, Deal.Evolve)!;
            results.Add(new BatchedResult(dealId, deal.Version, command is CaptureDeal));
        }

        return (results, [.. appends.Where(a => a.Value.Events.Count > 0).Select(a => new BatchedAppend(a.Key, a.Value.VersionBefore, a.Value.Events))]);
    }
}
