using Funnel.Domain.Targets;

namespace Funnel.Domain.Tests.Targets;

public sealed class TargetPeriodTests
{
    [Theory]
    [InlineData("2026-03", "2026-03-01", "2026-04-01")]
    [InlineData("2026-12", "2026-12-01", "2027-01-01")]
    [InlineData("2026-Q1", "2026-01-01", "2026-04-01")]
    [InlineData("2026-Q4", "2026-10-01", "2027-01-01")]
    [InlineData("2026", "2026-01-01", "2027-01-01")]
    public void a_period_is_its_calendar_days(string text, string start, string end)
    {
        var (period, rejection) = TargetPeriod.Parse(text);

        Assert.Null(rejection);
        Assert.Equal((DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture)), (period!.Start, period.End));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-Q0")]
    [InlineData("26-03")]
    [InlineData("2026-3")]
    [InlineData("")]
    public void anything_else_is_refused(string text) => Assert.Equal("period-format", TargetPeriod.Parse(text).Rejection!.Rule);

    [Fact]
    public void the_elapsed_share_counts_from_the_zones_midnights()
    {
        var march = TargetPeriod.Parse("2026-03").Period!;
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 16 Mar 00:00 UTC is 15 of March's 31 days; in Berlin (UTC+1 in March, before the change on the 29th) March
        // began an hour earlier and ends two hours earlier (UTC+2 then): (15 d + 1 h) / (31 d - 1 h).
        Assert.Equal(Math.Round(15m / 31m, 6), march.ElapsedAt(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
        Assert.Equal(Math.Round((15m * 24 + 1) / (31m * 24 - 1), 6), march.ElapsedAt(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero), berlin));
        Assert.Equal(0m, march.ElapsedAt(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
        Assert.Equal(1m, march.ElapsedAt(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
    }

    [Fact]
    public void children_above_their_parent_are_a_warning_not_a_refusal()
    {
        var tree = new TargetTree(new Goals(WonAmount: 100m), [new TeamTargets("east", new Goals(WonAmount: 60m), []), new TeamTargets("west", new Goals(WonAmount: 50m), [])]);

        Assert.Null(tree.Check());
        Assert.Equal(["The wonAmount targets under the organisation add up to 110, more than its 100."], tree.Warnings());
    }
}
