namespace Funnel.Domain.Deals;

public enum DealStatus
{
    Open,
    Won,
    Lost,
}

/// <summary>A deal as it stands after its events. The fold is one explicit function (Evolve), not Marten conventions, so Marten and the tests share it.</summary>
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
    };

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
        // An activity shares the deal's stream, so it counts in the version (commands expect the stream's) and changes
        // nothing else: it does not hold later commands to its time either.
        if (e is Activities.ActivityLogged)
        {
            deal!.Version++;
            return deal;
        }

        if (e is DealCaptured captured)
        {
            deal = Captured(captured);
        }
        else
        {
            deal!.Change(e);
        }

        deal.LastOccurredAt = ((IDealEvent)e).OccurredAt;
        deal.Version++;
        return deal;
    }

    /// <summary>Not named Apply: Marten would take it for a conventional apply method beside the explicit Evolve.</summary>
    private void Change(object e)
    {
        switch (e)
        {
            case DealStageChanged x: (Stage, StageEnteredAt) = (x.ToStage, x.OccurredAt); break;
            case QuoteSent x: Amount = x.Amount; break;
            case DealAmountChanged x: Amount = x.Amount; break;
            case DealOwnerReassigned x: (Owner, Team, Region) = (x.Owner, x.Team, x.Region); break;
            case DealExpectedCloseDateChanged x: ExpectedCloseDate = x.ExpectedCloseDate; break;
            case DealWon x: (Status, Amount, ClosedAt) = (DealStatus.Won, x.Amount, x.OccurredAt); break;
            case DealLost x: (Status, LossReason, ClosedAt) = (DealStatus.Lost, x.Reason, x.OccurredAt); break;
            case DealReopened x: (Status, Stage, LossReason, ClosedAt, StageEnteredAt) = (DealStatus.Open, x.Stage, null, null, x.OccurredAt); break;
            default: throw new ArgumentException($"Not a deal event: {e.GetType().Name}", nameof(e));
        }
    }

    /// <summary>Builds the state from a deal's events, as Marten does, so decisions can be tested without a database.</summary>
    public static Deal? Fold(IEnumerable<object> events) => events.Aggregate((Deal?)null, Evolve);
}
