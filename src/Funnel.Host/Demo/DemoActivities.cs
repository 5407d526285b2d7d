using Funnel.Domain;
using Funnel.Domain.Activities;
using Funnel.Domain.Deals;

namespace Funnel.Host.Demo;

/// <summary>
/// The demo's daily record: reps work their deals while the deals stand in a stage (some deals are left alone), and
/// prospect on no deal on the days they are in. Everyone takes a fortnight off, falls ill now and then, and one rep
/// records far less than the others: the gaps a manager is meant to find. Every activity comes out of <see cref="LogActivity"/>.
/// </summary>
public static class DemoActivities
{
    /// <summary>The rep who keeps a patchy record.</summary>
    public const string PatchyRep = "Kai Lund";

    // What a rep does on a deal in each stage, and the outcomes they note.
    private static readonly string[][] KindsByStage =
    [
        ["call", "email", "call", "note"],
        ["meeting", "demo", "call", "email"],
        ["quote", "meeting", "email", "call"],
        ["meeting", "visit", "call", "email"],
    ];

    private static readonly string[] ProspectingKinds = ["call", "call", "email", "task"];
    private static readonly string[] CallOutcomes = ["reached", "voicemail", "no answer", "call back"];

    /// <summary>Whether the rep recorded anything on <paramref name="day"/>: weekdays, minus a fortnight off, sick days, and the patchy rep's gaps.</summary>
    public static bool Present(string rep, DateOnly day, DateOnly? leftOn)
    {
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || day >= leftOn)
        {
            return false;
        }

        var seed = Seed(rep);
        var holidayStart = 120 + seed % 150;
        if (day.DayOfYear >= holidayStart && day.DayOfYear < holidayStart + 14)
        {
            return false;
        }

        var roll = new Random(Seed($"{rep}|{day.DayNumber}")).NextDouble();
        return roll >= (rep == PatchyRep ? 0.35 : 0.04);
    }

    /// <summary>
    /// The activities on a deal while it stands in <paramref name="stage"/> from <paramref name="from"/> to <paramref name="to"/>,
    /// applied to <paramref name="deal"/> (its version counts them), on the days its owner is in.
    /// </summary>
    public static Deal OnDeal(List<object> events, Deal deal, int stage, DateTimeOffset from, DateTimeOffset to, DateOnly? ownerLeftOn, DateTimeOffset now)
    {
        var random = new Random(Seed($"{deal.Id}|{from.Ticks}"));
        var perDay = Seed(deal.Id) % 7 == 0 ? 0.02 : 0.15 + 0.25 * random.NextDouble();
        var count = (int)Math.Round((to - from).TotalDays * perDay * (0.5 + random.NextDouble()));
        var times = Enumerable.Range(0, count).Select(_ => WorkingHour(from + (to - from) * random.NextDouble(), random)).Where(t => t > from && t < to).Order().ToList();
        foreach (var at in times.Where(t => Present(deal.Owner, DateOnly.FromDateTime(t.UtcDateTime), ownerLeftOn)))
        {
            var kind = KindsByStage[stage][random.Next(4)];
            var log = new LogActivity(null, deal.Owner, kind, deal.Id, null, null, at, Duration(kind, random), Outcome(kind, random), null);
            var decision = log.Decide(deal, $"{deal.Id}-v{deal.Version + 1}", now);
            events.AddRange(decision.Rejection is { } rejection ? throw new InvalidOperationException($"The demo's activity broke a rule: {rejection.Message}") : decision.Events);
            deal = decision.Events.Aggregate(deal, Deal.Evolve);
        }

        return deal;
    }

    /// <summary>Each rep's own work on no deal, day by day over [start, end): one stream per rep.</summary>
    public static IEnumerable<(string StreamId, IReadOnlyList<object> Events)> Prospecting(IEnumerable<(string Rep, string Team, DateOnly? LeftOn)> reps, DateTimeOffset start, DateTimeOffset end)
    {
        foreach (var (rep, team, leftOn) in reps)
        {
            var events = new List<object>();
            for (var day = DateOnly.FromDateTime(start.UtcDateTime); day < DateOnly.FromDateTime(end.UtcDateTime); day = day.AddDays(1))
            {
                if (!Present(rep, day, leftOn))
                {
                    continue;
                }

                var random = new Random(Seed($"{rep}|{day.DayNumber}|prospecting"));
                var times = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => WorkingHour(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), random)).Order();
                foreach (var (at, i) in times.Select((t, i) => (t, i)))
                {
                    var kind = ProspectingKinds[random.Next(ProspectingKinds.Length)];
                    var log = new LogActivity(null, rep, kind, null, team, null, at, Duration(kind, random), Outcome(kind, random), null);
                    events.AddRange(log.Decide(null, $"demo-{Seed(rep)}-{day:yyyyMMdd}-{i}", end).Events);
                }
            }

            yield return (LogActivity.RepStream(rep), events);
        }
    }

    /// <summary>The instant's day, at a random minute between 08:00 and 18:00 (UTC).</summary>
    private static DateTimeOffset WorkingHour(DateTimeOffset at, Random random) =>
        new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero).AddMinutes(8 * 60 + random.Next(10 * 60));

    private static int? Duration(string kind, Random random) => kind switch
    {
        "call" => 5 + random.Next(26),
        "visit" => 60 + random.Next(61),
        "meeting" => 30 + random.Next(31),
        "demo" => 45 + random.Next(46),
        "quote" or "task" => 15 + random.Next(16),
        _ => null,
    };

    private static string? Outcome(string kind, Random random) => kind switch
    {
        "call" => CallOutcomes[random.Next(CallOutcomes.Length)],
        "meeting" or "demo" or "visit" => random.Next(3) == 0 ? "no next step" : "next step agreed",
        _ => null,
    };

    /// <summary>A stable number from a text (string.GetHashCode and HashCode.Combine differ between runs).</summary>
    private static int Seed(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & int.MaxValue;
}
