using Funnel.Domain;
using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;

namespace Funnel.Domain.Tests.Deals;

/// <summary>Given-events / when-command / then-events helpers: the decisions are tested without a database.</summary>
public static class Given
{
    public static readonly DateTimeOffset T0 = new(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Pipeline Classic = Pipeline.Fold(
    [
        new PipelineDefined("sales", "Sales",
        [
            new StageDefinition("validate", "Validate", 0.1m),
            new StageDefinition("develop", "Develop", 0.3m),
            new StageDefinition("propose", "Propose", 0.5m),
            new StageDefinition("close", "Close", 0.8m),
        ], T0.AddDays(-30)),
    ])!;

    public static DealCaptured Captured(string stage = "validate", decimal amount = 1000m) =>
        new("D", "sales", "Acme", "ann", "east", "emea", "gtx", "Acme Corp", amount, "USD", new DateOnly(2026, 5, 31), [], stage, T0);

    public static Deal Deal(params object[] events) => Funnel.Domain.Deals.Deal.Fold(events)!;

    public static IReadOnlyList<object> Then(this Decision decision)
    {
        Assert.Null(decision.Rejection);
        return decision.Events;
    }

    public static Rejection Refused(this Decision decision, RejectionKind kind, string field, string rule)
    {
        Assert.True(decision.IsRejected, "Expected a rejection");
        Assert.Empty(decision.Events);
        Assert.Equal((kind, field, rule), (decision.Rejection!.Kind, decision.Rejection.Field, decision.Rejection.Rule));
        return decision.Rejection;
    }
}
