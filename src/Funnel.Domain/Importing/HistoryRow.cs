using Funnel.Domain.Deals;

namespace Funnel.Domain.Importing;

/// <summary>
/// One row of a deal's history as CRMs export it (Salesforce opportunity history, HubSpot deal stage history),
/// and what it means for the deal as it stands: the commands that bring the deal to the row.
/// </summary>
public sealed record HistoryRow(
    int Line,
    string DealId,
    DateTimeOffset OccurredAt,
    string? Stage,
    decimal? Amount,
    string? Owner,
    string? Team = null, string? Region = null, string? Product = null, string? Account = null,
    string? Outcome = null,
    string? Reason = null)
{
    public const string Won = "won";
    public const string Lost = "lost";
    public const string Reopened = "reopened";

    /// <summary>A loss without a reason in the export is recorded with this one.</summary>
    public const string UnspecifiedReason = "unspecified";

    /// <summary>The commands, in order, that bring <paramref name="deal"/> (null: not captured yet) to this row.</summary>
    public IReadOnlyList<object> ToCommands(Deal? deal, string pipelineId)
    {
        var outcome = Outcome?.Trim().ToLowerInvariant();
        if (deal is null)
        {
            var capture = new CaptureDeal(DealId, pipelineId, Account ?? DealId, Owner, Amount ?? 0m, Team, Region, Product, Account, Stage: Stage, OccurredAt: OccurredAt);
            return outcome switch
            {
                Won => [capture, new WinDeal(DealId, Amount, OccurredAt)],
                Lost => [capture, new LoseDeal(DealId, Reason ?? UnspecifiedReason, OccurredAt)],
                _ => [capture],
            };
        }

        return outcome switch
        {
            Won => [new WinDeal(DealId, Amount, OccurredAt)],
            Lost => [new LoseDeal(DealId, Reason ?? UnspecifiedReason, OccurredAt)],
            Reopened => [new ReopenDeal(DealId, Stage, OccurredAt)],
            _ => Changes(deal),
        };
    }

    /// <summary>An outcome the importer does not know, or null.</summary>
    public Rejection? Validate() =>
        Outcome is null || Outcome.Trim().ToLowerInvariant() is "" or "open" or Won or Lost or Reopened
            ? null
            : Rejection.Invalid("outcome", "outcome", $"outcome is empty, open, won, lost or reopened, not '{Outcome}'.");

    private List<object> Changes(Deal deal)
    {
        var commands = new List<object>();
        if (Stage is not null && Stage != deal.Stage)
        {
            commands.Add(new ChangeStage(DealId, Stage, OccurredAt));
        }

        if (Amount is not null && Amount != deal.Amount)
        {
            commands.Add(new ChangeAmount(DealId, Amount, OccurredAt));
        }

        if (Owner is not null && (Owner != deal.Owner || (Team ?? deal.Team) != deal.Team || (Region ?? deal.Region) != deal.Region))
        {
            commands.Add(new ReassignOwner(DealId, Owner, Team, Region, OccurredAt));
        }

        // A row that changes nothing on a closed deal is still a row for a closed deal: let the rules refuse it.
        return commands.Count == 0 && deal.Status != DealStatus.Open ? [new ChangeStage(DealId, Stage ?? deal.Stage, OccurredAt)] : commands;
    }
}
