using System.Text.Json;
using Funnel.Host.Tests.Infrastructure;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class ChangesReportTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task what_moved_between_two_instants()
    {
        // [3, 7): a: in X3 (3), X4 (5, reopened); out X4 (3, lost), X2 and X3 (4, on to c and b).
        // b: in X3 (4), X2 (6); out X3 (3, back to a), X1 (5, on to c). c: in X2 (4), X1 (5); out X2 (6, back to b).
        var report = await app.GetJsonAsync($"/api/funnel/rp/changes?since={Iso(3)}&until={Iso(7)}&explain=true");

        Assert.Equal(
            [
                ("a", 2L, 3L, 2L, 0L, 0L, 1L, -1L),
                ("b", 2L, 2L, 1L, 1L, 0L, 0L, 0L),
                ("c", 2L, 1L, 0L, 1L, 0L, 0L, 1L),
                ("d", 0L, 0L, 0L, 0L, 0L, 0L, 0L),
            ],
            report.GetProperty("stages").EnumerateArray().Select(Row));
        Assert.Equal(["X2", "X3", "X4"], report.GetProperty("stages")[0].GetProperty("leftDeals").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal((0, 1, 400m), (report.GetProperty("won").GetProperty("count").GetInt32(), report.GetProperty("lost").GetProperty("count").GetInt32(), report.GetProperty("lost").GetProperty("amount").GetDecimal()));

        var change = Assert.Single(report.GetProperty("amountChanges").EnumerateArray());
        Assert.Equal(("X3", "a", 300m, 350m, Day(3.5)), (change.GetProperty("dealId").GetString(), change.GetProperty("stage").GetString(), change.GetProperty("from").GetDecimal(), change.GetProperty("to").GetDecimal(), change.GetProperty("at").GetDateTimeOffset()));
    }

    private static (string?, long, long, long, long, long, long, long) Row(JsonElement s) =>
        (s.GetProperty("stage").GetString(), s.GetProperty("entered").GetInt64(), s.GetProperty("left").GetInt64(), s.GetProperty("advanced").GetInt64(),
         s.GetProperty("regressed").GetInt64(), s.GetProperty("won").GetInt64(), s.GetProperty("lost").GetInt64(), s.GetProperty("net").GetInt64());
}
