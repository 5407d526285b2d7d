using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Verifying;
using Npgsql;

namespace Funnel.Host.Tests.Verifying;

/// <summary>
/// A rebuild folds every pipeline's events first and then deal by deal (TimelineRebuild), where the live projection
/// folds in the store's sequence. A deal's advances follow its pipeline's stage order as it was at each of its events:
/// a rebuild that took the order the pipeline has at the end would advance other stages.
/// </summary>
public sealed class RebuildOrderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FunnelApp app = new();

    public Task InitializeAsync() => app.InitializeAsync();

    public Task DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task a_deal_advances_by_its_pipelines_stage_order_at_each_event_in_a_rebuild_as_live()
    {
        await app.PutPipelineAsync("flow", ("a", 0.1m), ("b", 0.3m), ("c", 0.5m));
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "R-1", pipelineId = "flow", name = "R", owner = "ann", amount = 100m, occurredAt = T0 });
        // a, b, c: entering c advances a (b was never entered).
        await app.Http.PostJsonAsync("/api/deals/R-1/stage", new { stage = "c", occurredAt = T0.AddDays(1) });
        await app.PutPipelineAsync("flow", ("c", 0.1m), ("b", 0.3m), ("a", 0.5m));
        // c, b, a: entering b advances c.
        await app.Http.PostJsonAsync("/api/deals/R-1/stage", new { stage = "b", occurredAt = T0.AddDays(3) });
        await app.CatchUpAsync();

        Assert.Equal(
            [("a", T0.AddDays(1)), ("b", (DateTimeOffset?)null), ("c", T0.AddDays(3))],
            await AdvancesAsync());
        var rebuilt = await new ReadModelVerifier(app.ConnectionString, batchSize: 1).VerifyAsync(new Progress<string>(), CancellationToken.None);
        Assert.True(rebuilt.Identical, string.Join("; ", rebuilt.Tables.Where(t => !t.Identical).Select(t => $"{t.Table}: {string.Join(" | ", t.Examples)}")));
    }

    private async Task<List<(string Stage, DateTimeOffset? AdvancedAt)>> AdvancesAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select stage, advanced_at from funnel.deal_stage_facts where deal_id = 'R-1' order by stage", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var advances = new List<(string, DateTimeOffset?)>();
        while (await reader.ReadAsync())
        {
            advances.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return advances;
    }
}
