using Funnel.Projections.Reports;

namespace Funnel.Host.Tests.Reports;

/// <summary>A rep's diary's totals from the activity and move counters (and from the rows in another zone), and its pages, against the intervals and activities read row by row.</summary>
public sealed partial class DatedCounterTests
{
    // Each interval's move as its owner saw it, told from the interval before it (lag over the deal's versions), and the
    // handovers as their owner before saw them; on Berlin days.
    private const string MovesByRow = """
        with i as (
            select i.*, lag(i.status) over w as status_before, lag(i.stage) over w as stage_before
            from funnel.deal_intervals i window w as (partition by i.deal_id order by i.version)
        ), seen as (
            select owner as rep, valid_from, deal_id, version, amount, case
                when previous_owner is not null then 'handed-in'
                when status_before is null then 'captured'
                when status_before = 'open' and status in ('won', 'lost') then status
                when status_before <> 'open' and status = 'open' then 'reopened'
                when status_before = 'open' and status = 'open' and stage_before <> stage then 'stage' end as what
            from i
            union all
            select previous_owner, valid_from, deal_id, version, amount, 'handed-out' from i where previous_owner <> owner
        )
        select rep, (valid_from at time zone 'Europe/Berlin')::date as day, valid_from, deal_id, version, amount, what from seen where what is not null
        """;

    // Berlin's days under another name (Paris keeps Berlin's clocks): not the zone the counters were cut in, so the diary counts the rows.
    private static readonly TimeZoneInfo BerlinByRows = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public async Task a_diarys_totals_from_the_counters_equal_the_rows()
    {
        // Every rep's day with a handover or a reopened deal, and every day of September 2026: moves by kind and the activities.
        var expected = await QueryStringsAsync($"""
            with m as ({MovesByRow}), days as (
                select distinct rep, day from m where what in ('handed-in', 'handed-out', 'reopened') or day between '2026-09-01' and '2026-09-30'
            )
            select d.rep || '|' || d.day || '|' ||
                   (select count(*) || ' ' || coalesce(sum(a.duration_minutes), 0) from funnel.activities a
                    where a.rep = d.rep and (a.occurred_at at time zone 'Europe/Berlin')::date = d.day) || ' ' ||
                   (select count(*) || ' ' || count(*) filter (where what = 'stage') || ' ' || count(*) filter (where what = 'won') || ' ' ||
                           coalesce(sum(amount) filter (where what = 'won'), 0) || ' ' || count(*) filter (where what = 'lost') || ' ' ||
                           count(*) filter (where what = 'handed-in') || ' ' || count(*) filter (where what = 'handed-out')
                    from m where m.rep = d.rep and m.day = d.day)
            from days d order by d.rep, d.day
            """);
        Assert.True(expected.Count > 50 && expected.Any(e => e.EndsWith(" 1", StringComparison.Ordinal)), $"{expected.Count} days");

        foreach (var row in expected)
        {
            var (rep, day) = (row.Split('|')[0], DateOnly.Parse(row.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture));
            foreach (var zone in new[] { BerlinApp.Berlin, BerlinByRows })
            {
                var t = (await RepDiary.RunAsync(Db, new DiaryQuery(rep, day, zone, PageSize: 1), CancellationToken.None)).Totals;
                Assert.Equal(row, $"{rep}|{day:yyyy-MM-dd}|{t.Activities} {t.Minutes} {t.Moves} {t.StageMoves} {t.Won} {t.WonAmount} {t.Lost} {t.HandedIn} {t.HandedOut}");
            }
        }
    }

    [Fact]
    public async Task a_diary_pages_through_its_day_in_order_of_time()
    {
        // The busiest rep's day of moves, three at a time: the pages together are the day's moves and activities in order.
        var busiest = (await QueryStringsAsync($"with m as ({MovesByRow}) select rep || '|' || day from m group by rep, day order by count(*) desc, rep, day limit 1")).Single().Split('|');
        var (rep, day) = (busiest[0], DateOnly.Parse(busiest[1], System.Globalization.CultureInfo.InvariantCulture));
        var moves = await QueryStringsAsync($"with m as ({MovesByRow}) select deal_id || ' ' || what from m where rep = '{rep}' and day = '{day:yyyy-MM-dd}' order by valid_from, deal_id, version");
        var activities = await QueryStringsAsync(
            $"select activity_id from funnel.activities where rep = '{rep}' and (occurred_at at time zone 'Europe/Berlin')::date = '{day:yyyy-MM-dd}' order by occurred_at, activity_id");
        Assert.True(moves.Count > 3, $"{moves.Count} moves");

        var (pagedMoves, pagedActivities) = (new List<string>(), new List<string>());
        for (var page = 1; page <= (Math.Max(moves.Count, activities.Count) / 3) + 1; page++)
        {
            var diary = await RepDiary.RunAsync(Db, new DiaryQuery(rep, day, BerlinApp.Berlin, page, 3), CancellationToken.None);
            Assert.True(diary.Moves.Count <= 3 && diary.Activities.Count <= 3);
            pagedMoves.AddRange(diary.Moves.Select(m => $"{m.DealId} {m.What}"));
            pagedActivities.AddRange(diary.Activities.Select(a => a.ActivityId));
            Assert.Equal(moves.Count, diary.Totals.Moves);
        }

        Assert.Equal(moves, pagedMoves);
        Assert.Equal(activities, pagedActivities);
    }
}
