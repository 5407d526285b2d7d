namespace Funnel.Domain.Deals;

public enum DealStatus
{
    Open,
    Won,
    Lost,
}

/// <summary>A deal as it stands after its events. The fold is one explicit switch (Evolve), not Marten conventions, so Marten and the tests share it.</summary>
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

    private static Deal Captured(DealCaptured e) => new()
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

    private void On(DealStageChanged e)
    {
        Stage = e.ToStage;
        StageEnteredAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(QuoteSent e)
    {
        Amount = e.Amount;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealAmountChanged e)
    {
        Amount = e.Amount;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealOwnerReassigned e)
    {
        Owner = e.Owner;
        Team = e.Team;
        Region = e.Region;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealExpectedCloseDateChanged e)
    {
        ExpectedCloseDate = e.ExpectedCloseDate;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealWon e)
    {
        Status = DealStatus.Won;
        Amount = e.Amount;
        ClosedAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealLost e)
    {
        Status = DealStatus.Lost;
        LossReason = e.Reason;
        ClosedAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    private void On(DealReopened e)
    {
        Status = DealStatus.Open;
        Stage = e.Stage;
        LossReason = null;
        ClosedAt = null;
        StageEnteredAt = e.OccurredAt;
        LastOccurredAt = e.OccurredAt;
    }

    /// <summary>A copy to try events on: <see cref="Evolve"/> changes the deal it is given.</summary>
    public Deal Copy()
    {
        var copy = (Deal)MemberwiseClone();
        copy.Tags = [.. Tags];
        return copy;
    }

    /// <summary>One step of the fold: the state after <paramref name="e"/>. Marten's projection and the tests share it.</summary>
    public static Deal Evolve(Deal? deal, object e)
    {
        switch (e)
        {
            case DealCaptured x: deal = Captured(x); break;
            case DealStageChanged x: deal!.On(x); break;
            case QuoteSent x: deal!.On(x); break;
            case DealAmountChanged x: deal!.On(x); break;
            case DealOwnerReassigned x: deal!.On(x); break;
            case DealExpectedCloseDateChanged x: deal!.On(x); break;
            case DealWon x: deal!.On(x); break;
            case DealLost x: deal!.On(x); break;
            case DealReopened x: deal!.On(x); break;
            default: throw new ArgumentException($"Not a deal event: {e.GetType().Name}", nameof(e));
        }

        deal.Version++;
        return deal;
    }

    /// <summary>Builds the state from a deal's events, as Marten does, so decisions can be tested without a database.</summary>
    public static Deal? Fold(IEnumerable<object> events) => events.Aggregate((Deal?)null, Evolve);
}
