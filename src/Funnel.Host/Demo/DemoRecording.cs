using Funnel.Domain.Activities;
using Funnel.Domain.Deals;

namespace Funnel.Host.Demo;

/// <summary>
/// When the demo's events were recorded, as a real CRM records them: most within hours of happening, some a few days
/// late (a rep catching up on entry), a few weeks late (a stage or amount put right after the fact). So "as it was
/// known then" (knownAt) answers with a different, plausible funnel than the history as known today. A stream's
/// records keep its order (what follows a late record waits for it), none is before its event or after the seeding.
/// Deterministic per stream; the events themselves are not touched.
/// </summary>
public static class DemoRecording
{
    /// <summary>Of every thousand events: recorded within hours, one to three days late; the rest one to three weeks late.</summary>
    public const int WithinHoursPerMille = 915, DaysLatePerMille = 70;

    public static DateTimeOffset[] RecordedTimes(string streamId, IReadOnlyList<object> events, DateTimeOffset seededAt)
    {
        var random = new Random(Seed(streamId));
        var recorded = new DateTimeOffset[events.Count];
        var previous = DateTimeOffset.MinValue;
        for (var i = 0; i < events.Count; i++)
        {
            var occurred = OccurredAt(events[i]);
            var roll = random.Next(1000);
            var delay = roll < WithinHoursPerMille ? TimeSpan.FromMinutes(5 + random.Next(235))
                : roll < WithinHoursPerMille + DaysLatePerMille ? TimeSpan.FromHours(24 + random.Next(2 * 24))
                : TimeSpan.FromDays(7 + random.Next(14));
            var candidate = occurred + delay;
            recorded[i] = Min(seededAt, candidate > previous ? candidate : previous.AddSeconds(1));
            previous = recorded[i];
        }

        return recorded;
    }

    private static DateTimeOffset OccurredAt(object e) => e switch
    {
        ActivityLogged activity => activity.OccurredAt,
        IDealEvent dealEvent => dealEvent.OccurredAt,
        _ => throw new ArgumentException($"The demo records deal events and activities, not {e.GetType().Name}."),
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static int Seed(string text) => text.Aggregate(31, (h, c) => unchecked((h * 37) + c)) & int.MaxValue;
}
