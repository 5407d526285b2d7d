namespace Funnel.Domain.Deals;

/// <summary>What every event of a deal stream carries: the deal, and when it happened in business time.</summary>
public interface IDealEvent
{
    string DealId { get; }

    DateTimeOffset OccurredAt { get; }
}

public static class DealEvents
{
    /// <summary>Every event a deal stream holds; projections subscribe to exactly these.</summary>
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(DealCaptured), typeof(DealStageChanged), typeof(QuoteSent), typeof(DealAmountChanged), typeof(DealOwnerReassigned),
        typeof(DealExpectedCloseDateChanged), typeof(DealWon), typeof(DealLost), typeof(DealReopened),
    ];

    /// <summary>What a deal's stream holds besides its own events: the activities logged on it (they change only its version).</summary>
    public static readonly IReadOnlyList<Type> OnStream = [.. All, typeof(Activities.ActivityLogged)];
}

public sealed record DealCaptured(
    string DealId,
    string PipelineId,
    string Name,
    string Owner,
    string? Team,
    string? Region,
    string? Product,
    string? Account,
    decimal Amount,
    string Currency,
    DateOnly? ExpectedCloseDate,
    IReadOnlyList<string> Tags,
    string Stage,
    DateTimeOffset OccurredAt) : IDealEvent;

/// <summary><paramref name="Regression"/> records whether the move went backwards in the pipeline order in force when it happened.</summary>
public sealed record DealStageChanged(string DealId, string FromStage, string ToStage, bool Regression, DateTimeOffset OccurredAt) : IDealEvent;

public sealed record QuoteSent(string DealId, string? QuoteId, decimal Amount, decimal PreviousAmount, DateTimeOffset OccurredAt) : IDealEvent;

public sealed record DealAmountChanged(string DealId, decimal Amount, decimal PreviousAmount, DateTimeOffset OccurredAt) : IDealEvent;

/// <summary>A new owner; <paramref name="HandoverReason"/> marks one deal of a rep's handover (<see cref="HandOverDeals"/>), with why.</summary>
public sealed record DealOwnerReassigned(string DealId, string Owner, string? Team, string? Region, string PreviousOwner, DateTimeOffset OccurredAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? HandoverReason = null) : IDealEvent;

public sealed record DealExpectedCloseDateChanged(string DealId, DateOnly? ExpectedCloseDate, DateTimeOffset OccurredAt) : IDealEvent;

public sealed record DealWon(string DealId, string Stage, decimal Amount, DateTimeOffset OccurredAt) : IDealEvent;

public sealed record DealLost(string DealId, string Stage, string Reason, DateTimeOffset OccurredAt) : IDealEvent;

public sealed record DealReopened(string DealId, string Stage, DealStatus PreviousStatus, DateTimeOffset OccurredAt) : IDealEvent;
