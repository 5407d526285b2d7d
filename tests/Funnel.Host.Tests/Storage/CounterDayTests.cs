using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Host.Tests.Storage;

/// <summary>
/// A recount puts rows in their days in memory, the statements that count as they write put them there in SQL: both
/// must give every instant the same day, in any zone, at midnights, across daylight-saving changes, and for instants
/// finer than PostgreSQL's microsecond (which it rounds when it stores them).
/// </summary>
public sealed class CounterDayTests
{
    // Whole, half- and quarter-hour offsets; two with daylight saving (Lord Howe's moves by half an hour).
    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "America/New_York"];

    // Ticks (100 ns) off each quarter hour: exact, a microsecond either way, half a microsecond (rounded to even), and between.
    private static readonly int[] Nudges = [0, -10, -5, 5, 10, -1, 1, 15, -15, 4, 6, 25];

    [Fact]
    public async Task the_days_in_memory_are_the_days_postgresql_gives()
    {
        await using var connection = new NpgsqlConnection(await TestPostgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var instants = Enumerable.Range(0, 366 * 96).Select(i => start.AddMinutes(15 * i).AddTicks(Nudges[i % Nudges.Length])).ToArray();

        foreach (var zone in Zones)
        {
            var calendar = new CounterCalendar(TimeZoneInfo.FindSystemTimeZoneById(zone));
            await using var query = new NpgsqlCommand(
                $"select {calendar.BucketOf("x.t::timestamptz")}, {calendar.DayOf("x.t::timestamptz")} from unnest(@instants::text[]) with ordinality as x(t, i) order by x.i", connection);
            query.Parameters.AddWithValue("instants", instants.Select(TimelineRows.Instant).ToArray());
            var (buckets, days) = (new List<DateOnly>(), new List<DateOnly>());
            await using (var reader = await query.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    buckets.Add(reader.GetFieldValue<DateOnly>(0));
                    days.Add(reader.GetFieldValue<DateOnly>(1));
                }
            }

            Assert.Equal(buckets, instants.Select(calendar.Bucket.Of));
            Assert.Equal(days, instants.Select(calendar.Happened.Of));
        }

        // By hand, in Berlin (UTC+1 in January): 23:00 UTC on 1 January is midnight of the 2nd, which belongs to the day
        // that ends there, the 1st; half a microsecond later is stored as that same instant, 0.6 microseconds later is not.
        var berlin = new CounterCalendar(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var midnight = new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 2)],
            [berlin.Bucket.Of(midnight), berlin.Bucket.Of(midnight.AddTicks(5)), berlin.Bucket.Of(midnight.AddTicks(6)), berlin.Happened.Of(midnight)]);
    }
}
