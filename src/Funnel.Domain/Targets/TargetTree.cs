namespace Funnel.Domain.Targets;

/// <summary>What one level is to achieve in the period; a measure left out has no target.</summary>
public sealed record Goals(decimal? WonAmount = null, int? WonCount = null, int? NewDeals = null, int? Activities = null);

public sealed record RepTargets(string Rep, Goals Targets);

public sealed record TeamTargets(string Team, Goals Targets, IReadOnlyList<RepTargets> Reps);

/// <summary>Targets decomposed from the whole organisation to its teams to their reps.</summary>
public sealed record TargetTree(Goals Organisation, IReadOnlyList<TeamTargets> Teams)
{
    public static TargetTree Empty { get; } = new(new Goals(), []);

    /// <summary>A tree's first broken rule: negative or oversized numbers, a team or rep named twice, names as for any text.</summary>
    public Rejection? Check()
    {
        var checks = new List<Rejection?> { CheckGoals(Organisation, "organisation") };
        for (var t = 0; t < Teams.Count; t++)
        {
            var team = Teams[t];
            checks.Add(Text.Check(team.Team, $"teams[{t}].team", required: true));
            checks.Add(CheckGoals(team.Targets, $"teams[{t}].targets"));
            for (var r = 0; r < team.Reps.Count; r++)
            {
                checks.Add(Text.Check(team.Reps[r].Rep, $"teams[{t}].reps[{r}].rep", required: true));
                checks.Add(CheckGoals(team.Reps[r].Targets, $"teams[{t}].reps[{r}].targets"));
            }
        }

        checks.Add(Teams.Select(t => t.Team).Distinct().Count() != Teams.Count ? Rejection.Invalid("teams", "duplicate", "A team appears twice.") : null);
        checks.Add(Teams.SelectMany(t => t.Reps).Select(r => r.Rep).Distinct().Count() != Teams.Sum(t => t.Reps.Count)
            ? Rejection.Invalid("teams", "duplicate", "A rep appears twice (a rep belongs to one team).")
            : null);
        return Rejection.FirstOf([.. checks]);
    }

    /// <summary>Where children add up to more than their parent: accepted, and said in the answer.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        warnings.AddRange(Exceeds("organisation", Organisation, Teams.Select(t => t.Targets)));
        foreach (var team in Teams)
        {
            warnings.AddRange(Exceeds($"team {team.Team}", team.Targets, team.Reps.Select(r => r.Targets)));
        }

        return warnings;
    }

    private static IEnumerable<string> Exceeds(string parent, Goals goals, IEnumerable<Goals> children)
    {
        var list = children.ToList();
        (string Name, decimal? Parent, decimal Sum)[] measures =
        [
            ("wonAmount", goals.WonAmount, list.Sum(c => c.WonAmount ?? 0)), ("wonCount", goals.WonCount, list.Sum(c => c.WonCount ?? 0)),
            ("newDeals", goals.NewDeals, list.Sum(c => c.NewDeals ?? 0)), ("activities", goals.Activities, list.Sum(c => c.Activities ?? 0)),
        ];
        return measures.Where(m => m.Parent is { } p && m.Sum > p).Select(m => $"The {m.Name} targets under the {parent} add up to {m.Sum:0.##}, more than its {m.Parent:0.##}.");
    }

    private static Rejection? CheckGoals(Goals goals, string field) =>
        Rejection.FirstOf(
            goals.WonAmount is < 0 or > Deals.DealRules.MaxAmount ? Rejection.Invalid($"{field}.wonAmount", "max-amount", $"A won-amount target lies between 0 and {Deals.DealRules.MaxAmount:N0}.") : null,
            goals.WonCount < 0 ? Rejection.Invalid($"{field}.wonCount", "non-negative", "A count target may not be negative.") : null,
            goals.NewDeals < 0 ? Rejection.Invalid($"{field}.newDeals", "non-negative", "A count target may not be negative.") : null,
            goals.Activities < 0 ? Rejection.Invalid($"{field}.activities", "non-negative", "A count target may not be negative.") : null);
}
