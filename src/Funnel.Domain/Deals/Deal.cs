namespace Funnel.Domain.Deals;

public enum DealStatus
{
    Open,
    Won,
    Lost,
}

/// <summary>A deal as it stands after its events; Marten keeps it as an inline snapshot.</summary>
public sealed class Deal
{
    public string Id { get; set; } = "";

    public int Version { get; set; }

    public string PipelineId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Owner { get; set; } = "";

    public string? Team { get; set; }

    public string? Region { get; set; }

    public string? Product { get; set; }

    public string? Account { get; set; }

    public decimal Amount { get; set; }

    public string Currency { get; set; } = "";

    public DateOnly? ExpectedCloseDate { get; set; }

    public List<string> Tags { get; set; } = [];

    public string Stage { get; set; } = "";

    public DealStatus Status { get; set; }

    public string? LossReason { get; set; }

    public DateTimeOffset CapturedAt { get; set; }

    public DateTimeOffset StageEnteredAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The business time of the latest event: later commands may not go back before it.</summary>
    public DateTimeOffset LastOccurredAt { get; set; }

    public static Deal Create(DealCaptured e) => new()
    {
        Id = e.DealId,
        PipelineId = e.PipelineId,
        Name = e.Name,
        Owner = e.Owner,
        Team = e.Team,
        Region = e.Region,
        Product = e.Product,
        Account = e.Account,
        Amount = e.Amount,
        Currency = e.Currency,
        ExpectedCloseDate = e.ExpectedCloseDate,
        Tags = [.. e.Tags],
        Stage = e.Stage,
        CapturedAt = e.OccurredAt,
        StageEnteredAt = e.OccurredAt,
        LastOccurredAt = e.OccurredAt,
    };

    public void Apply(DealStageChanged e)
    {
        Stage = e.ToStage;
        StageEnteredAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(QuoteSent e)
    {
        Amount = e.Amount;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealAmountChanged e)
    {
        Amount = e.Amount;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealOwnerReassigned e)
    {
        Owner = e.Owner;
        Team = e.Team;
        Region = e.Region;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealExpectedCloseDateChanged e)
    {
        ExpectedCloseDate = e.ExpectedCloseDate;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealWon e)
    {
        Status = DealStatus.Won;
        Amount = e.Amount;
        ClosedAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealLost e)
    {
        Status = DealStatus.Lost;
        LossReason = e.Reason;
        ClosedAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    public void Apply(DealReopened e)
    {
        Status = DealStatus.Open;
        Stage = e.Stage;
        LossReason = null;
        ClosedAt = null;
        StageEnteredAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    /// <summary>Builds the state from a deal's events, as Marten does, so decisions can be tested without a database.</summary>
    public static Deal? Fold(IEnumerable<object> events)
    {
        Deal? deal = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case DealCaptured x: deal = Create(x); break;
                case DealStageChanged x: deal!.Apply(x); break;
                case QuoteSent x: deal!.Apply(x); break;
                case DealAmountChanged x: deal!.Apply(x); break;
                case DealOwnerReassigned x: deal!.Apply(x); break;
                case DealExpectedCloseDateChanged x: deal!.Apply(x); break;
                case DealWon x: deal!.Apply(x); break;
                case DealLost x: deal!.Apply(x); break;
                case DealReopened x: deal!.Apply(x); break;
                default: throw new ArgumentException($"Not a deal event: {e.GetType().Name}", nameof(events));
            }

            deal.Version++;
        }

        return deal;
    }
}
