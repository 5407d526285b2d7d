using Funnel.Domain.Targets;
using Funnel.Domain.Deals;
using Funnel.Domain.Pipelines;

namespace Funnel.Host.Demo;

/// <summary>
/// A deterministic, realistic year of funnel history for a newcomer to look at: deals advance, stall, regress,
/// get quoted, re-priced and lost for reasons, and one rep leaves mid-year with their deals handed over.
/// Every event comes out of the domain's own decisions, so the history obeys the same rules as the API.
/// </summary>
public static class DemoHistory
{
    public const string PipelineId = "sales";

    private static readonly StageDefinition[] Stages =
    [
        new("validate", "Validate", 0.1m),
        new("develop", "Develop", 0.3m),
        new("propose", "Propose", 0.5m),
        new("close", "Close", 0.8m),
    ];

    // Mean days a deal dwells in each stage, and what happens when it leaves: advance, regress, lose (the rest stalls on).
    private static readonly (double MeanDays, double Advance, double Regress, double Lose)[] Flow =
    [
        (10, 0.55, 0.00, 0.30),
        (20, 0.55, 0.05, 0.20),
        (14, 0.50, 0.12, 0.16),
        (10, 0.66, 0.08, 0.16),
    ];

    private static readonly (string Owner, string Team, string Region)[] Reps =
    [
        ("Ada Park", "Enterprise", "East"), ("Ben Okafor", "Enterprise", "East"), ("Carla Diaz", "Enterprise", "West"),
        ("Dana Wu", "Enterprise", "West"), ("Eli Novak", "Mid-market", "East"), ("Fay Moreau", "Mid-market", "Central"),
        ("Gus Tanaka", "Mid-market", "Central"), ("Hana Ito", "Mid-market", "West"), ("Ivo Berg", "SMB", "East"),
        ("Jo Achebe", "SMB", "Central"), ("Kai Lund", "SMB", "West"), ("Lea Rossi", "SMB", "Central"),
    ];

    private static readonly (string Name, decimal ListPrice)[] Products =
        [("Starter", 1_200m), ("Team", 6_500m), ("Business", 18_000m), ("Enterprise", 54_000m), ("Services", 9_500m)];

    private static readonly string[] LossReasons = ["price", "competitor", "no budget", "no decision", "timing", "product fit"];

    private static readonly string[] AccountStems = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka"];
    private static readonly string[] AccountKinds = ["Industries", "Logistics", "Health", "Retail", "Energy"];

    /// <summary>The rep who leaves, the day (from the start) they leave, and who takes over their open deals.</summary>
    private const int LeaverIndex = 3;
    private const int LeaveDay = 200;
    private const int SuccessorIndex = 2;
    private const string LeaveReason = "left the company";

    /// <summary>Won amount, new deals and activities each rep is to make in a quarter, by team: what the demo's targets decompose to.</summary>
    private static readonly Dictionary<string, (decimal WonAmount, int NewDeals, int Activities)> QuarterlyPerRep = new()
    {
        ["Enterprise"] = (700_000m, 45, 520), ["Mid-market"] = (400_000m, 60, 560), ["SMB"] = (150_000m, 75, 600),
    };

    /// <summary>
    /// Targets for every quarter the demo year touches, defined as each quarter begins (the first one as the history
    /// begins): each rep's by team, each team the sum of its reps, the organisation the sum of its teams. From the first
    /// quarter after the leaver left, their share is their successor's.
    /// </summary>
    public static IEnumerable<TargetsDefined> Targets(DateTimeOffset end)
    {
        var start = end.AddDays(-365);
        var (leaver, successor) = (Reps[LeaverIndex].Owner, Reps[SuccessorIndex].Owner);
        for (var quarter = new DateOnly(start.Year, (start.Month - 1) / 3 * 3 + 1, 1); quarter.ToDateTime(TimeOnly.MinValue) <= end.UtcDateTime; quarter = quarter.AddMonths(3))
        {
            var begins = new DateTimeOffset(quarter.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var left = begins > start.AddDays(LeaveDay);
            var teams = Reps.GroupBy(r => r.Team).Select(team =>
            {
                var (amount, deals, activities) = QuarterlyPerRep[team.Key];

                // The successor takes the leaver's deals and sales targets; their own day has no more hours in it.
                var reps = team.Where(r => !left || r.Owner != leaver)
                    .Select(r => new RepTargets(r.Owner, left && r.Owner == successor ? new Goals(amount * 2, NewDeals: deals * 2, Activities: activities) : new Goals(amount, NewDeals: deals, Activities: activities)))
                    .ToList();
                return new TeamTargets(team.Key, Sum(reps.Select(r => r.Targets)), reps);
            }).ToList();
            var tree = new TargetTree(Sum(teams.Select(t => t.Targets)), teams);
            yield return new TargetsDefined(PipelineId, $"{quarter.Year}-Q{(quarter.Month - 1) / 3 + 1}", tree, begins < start ? start : begins);
        }
    }

    private static Goals Sum(IEnumerable<Goals> parts)
    {
        var list = parts.ToList();
        return new Goals(list.Sum(g => g.WonAmount), NewDeals: list.Sum(g => g.NewDeals), Activities: list.Sum(g => g.Activities));
    }

    /// <summary>Every rep's work on no deal over the year (the leaver's until they left).</summary>
    public static IEnumerable<(string StreamId, IReadOnlyList<object> Events)> Prospecting(DateTimeOffset end) =>
        DemoActivities.Prospecting(Reps.Select((r, i) => (r.Owner, r.Team, i == LeaverIndex ? LeftOn(end.AddDays(-365)) : (DateOnly?)null)), end.AddDays(-365), end);

    /// <summary>The leaver's last day is the day before they leave.</summary>
    private static DateOnly LeftOn(DateTimeOffset start) => DateOnly.FromDateTime(start.AddDays(LeaveDay).UtcDateTime);

    public static PipelineDefined Pipeline(DateTimeOffset start) => new(PipelineId, "Sales (classic funnel)", Stages, start.AddDays(-1));

    /// <summary>
    /// The events of <paramref name="count"/> deals captured over the year that ends at <paramref name="end"/>, with the
    /// activities logged on them unless <paramref name="withActivities"/> is false (the deals' own events are the same either way).
    /// </summary>
    public static IEnumerable<(string DealId, IReadOnlyList<object> Events)> Deals(int count, DateTimeOffset end, bool withActivities = true)
    {
        var start = end.AddDays(-365);
        var pipeline = Funnel.Domain.Pipelines.Pipeline.Fold([Pipeline(start)])!;
        var random = new Random(20_26);
        for (var i = 1; i <= count; i++)
        {
            yield return ($"demo-{i:D5}", Simulate($"demo-{i:D5}", random, pipeline, start, end, withActivities));
        }
    }

    private static List<object> Simulate(string dealId, Random random, Pipeline pipeline, DateTimeOffset start, DateTimeOffset end, bool withActivities)
    {
        var rep = Reps[random.Next(Reps.Length)];
        var product = Products[random.Next(Products.Length)];
        var at = start.AddMinutes(random.Next(0, 364 * 24 * 60));
        var leaveAt = start.AddDays(LeaveDay);
        if (rep == Reps[LeaverIndex] && at > leaveAt)
        {
            rep = Reps[SuccessorIndex];
        }

        var amount = Math.Round(product.ListPrice * (decimal)(0.6 + random.NextDouble() * 0.9) * random.Next(1, 4), 0);
        var account = Account(random);
        var capture = new CaptureDeal(
            dealId, PipelineId, $"{product.Name} for {account}", rep.Owner, amount, rep.Team, rep.Region, product.Name, account,
            ExpectedCloseDate: DateOnly.FromDateTime(at.AddDays(30 + random.Next(60)).UtcDateTime), Tags: random.Next(4) == 0 ? ["inbound"] : [],
            OccurredAt: at);
        var events = new List<object>();
        var deal = Step(events, null, capture.Decide(pipeline, false, end));
        while (deal.Status == DealStatus.Open)
        {
            var stage = pipeline.IndexOf(deal.Stage);
            var flow = Flow[stage];
            var previous = at;
            at = at.AddMinutes(Math.Round(Math.Max(60, -Math.Log(1 - random.NextDouble()) * flow.MeanDays * 24 * 60)));
            if (withActivities)
            {
                deal = DemoActivities.OnDeal(events, deal, stage, previous, at < end ? at : end, deal.Owner == Reps[LeaverIndex].Owner ? LeftOn(start) : null, end);
            }

            if (at > end)
            {
                break;
            }

            if (deal.Owner == Reps[LeaverIndex].Owner && at > leaveAt)
            {
                // The leaver's handover, decided deal by deal as the simulation reaches each (the same events one command makes).
                var successor = Reps[SuccessorIndex];
                var handover = new HandOverDeals(deal.Owner, successor.Owner, successor.Team, successor.Region, [dealId], LeaveReason, leaveAt);
                deal = Step(events, deal, Decision.Accept([.. handover.Decide(new Dictionary<string, Deal> { [dealId] = deal }, end).Moves.Select(m => m.Event)]));
            }

            deal = Step(events, deal, Next(random, deal, pipeline, stage, flow, at).Decide(deal, pipeline, end));
        }

        return events;
    }

    private static IDealCommand Next(Random random, Deal deal, Pipeline pipeline, int stage, (double MeanDays, double Advance, double Regress, double Lose) flow, DateTimeOffset at)
    {
        var roll = random.NextDouble();
        var last = stage == pipeline.Stages.Count - 1;
        if (roll < flow.Lose)
        {
            return new LoseDeal(deal.Id, LossReasons[random.Next(LossReasons.Length)], at);
        }

        if (roll < flow.Lose + flow.Regress)
        {
            return new ChangeStage(deal.Id, pipeline.Stages[stage - 1].Id, at);
        }

        if (roll < flow.Lose + flow.Regress + flow.Advance)
        {
            var winAmount = Math.Round(deal.Amount * (decimal)(0.9 + random.NextDouble() * 0.15), 0);
            return last ? new WinDeal(deal.Id, winAmount, at) : new ChangeStage(deal.Id, pipeline.Stages[stage + 1].Id, at);
        }

        return random.Next(3) switch
        {
            0 or 1 when pipeline.Stages[stage].Id == "propose" => new SendQuote(deal.Id, Math.Round(deal.Amount * (decimal)(0.85 + random.NextDouble() * 0.3), 0), $"Q-{random.Next(10_000, 99_999)}", at),
            0 or 1 => new ChangeAmount(deal.Id, Math.Round(deal.Amount * (decimal)(0.8 + random.NextDouble() * 0.4), 0), at),
            _ => new ChangeExpectedClose(deal.Id, DateOnly.FromDateTime(at.AddDays(14 + random.Next(45)).UtcDateTime), at),
        };
    }

    private static Deal Step(List<object> events, Deal? deal, Decision decision)
    {
        if (decision.Rejection is { } rejection)
        {
            throw new InvalidOperationException($"The demo history broke a rule: {rejection.Message}");
        }

        events.AddRange(decision.Events);
        return decision.Events.Aggregate(deal, Deal.Evolve)!;
    }

    private static string Account(Random random) => $"{AccountStems[random.Next(AccountStems.Length)]} {AccountKinds[random.Next(AccountKinds.Length)]}";
}
