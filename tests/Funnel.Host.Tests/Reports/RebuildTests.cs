using Funnel.Host.Tests.Infrastructure;
using Funnel.Projections.Timeline;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Npgsql;
using Snapshooter.Xunit;
using static Funnel.Host.Tests.Reports.ReportScenario;

namespace Funnel.Host.Tests.Reports;

/// <summary>Every number is reproducible from the events: rebuilding the read models from scratch answers every report byte for byte.</summary>
[Collection(ReportsCollection.Name)]
public sealed class RebuildTests(FunnelApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => EnsureAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string[] Reports =>
    [
        $"/api/funnel/rp/conversion?asOf={Iso(30)}&explain=true",
        $"/api/funnel/rp/conversion?asOf={Iso(7)}&within=3d",
        $"/api/funnel/rp/dwell?asOf={Iso(30)}&explain=true",
        $"/api/funnel/rp/forecast?asOf={Iso(7)}&groupBy=owner&explain=true",
        $"/api/funnel/rp/forecast?asOf={Iso(7)}&probabilities=current",
        $"/api/funnel/rp/snapshot?asOf={Iso(12)}&knownAt=2030-01-01T00:00:00Z&explain=true",
        $"/api/funnel/rp/velocity?from={Iso(0)}&to={Iso(20)}&explain=true",
        $"/api/funnel/rp/losses?explain=true",
        $"/api/funnel/rp/stalled?asOf={Iso(20)}",
        "/api/deals?pipelineId=rp",
        $"/api/deals/X3?asOf={Iso(3.25)}",
    ];

    [Fact]
    public async Task rebuilding_the_read_models_gives_byte_identical_reports()
    {
        var live = await AnswersAsync();

        // Damage the read models first, so only a real rebuild from the events can bring the answers back.
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new NpgsqlCommand(
                "update funnel.deal_current set amount = 999999 where deal_id = 'X2'; delete from funnel.stage_residencies where deal_id = 'X1'", connection);
            await damage.ExecuteNonQueryAsync();
        }

        Assert.NotEqual(live, await AnswersAsync());

        var daemon = app.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync(TimelineProjection.ProjectionName, TimeSpan.FromMinutes(1), CancellationToken.None);

        // An in-process rebuild leaves the shard stopped; the other tests of this host need it running again.
        await daemon.StartAgentAsync($"{TimelineProjection.ProjectionName}:All", CancellationToken.None);
        await app.CatchUpAsync();
        var rebuilt = await AnswersAsync();

        Assert.Equal(live.Count, rebuilt.Count);
        for (var i = 0; i < live.Count; i++)
        {
            Assert.Equal(live[i], rebuilt[i]);
        }

        // The report contracts, freshness aside (it counts every event in this test database).
        var contract = new JObject();
        for (var i = 0; i < Reports.Length; i++)
        {
            var answer = JObject.Parse(rebuilt[i]);
            answer.Remove("freshness");
            contract[Reports[i]] = answer;
        }

        Snapshot.Match(contract);
    }

    private async Task<List<string>> AnswersAsync()
    {
        var answers = new List<string>();
        foreach (var report in Reports)
        {
            var response = await app.Http.GetAsync(report);
            Assert.True(response.IsSuccessStatusCode, report);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        return answers;
    }
}
