using System.Net;
using Funnel.Domain.Deals;
using Funnel.Host.Deals;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Verifying;
using Npgsql;

namespace Funnel.Host.Tests.Faults;

/// <summary>
/// Marten fills the sequence number of a transaction that failed after taking it with a tombstone (recorded at -infinity).
/// Nothing that reads the store may trip over one.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class TombstoneTests(HostileApp app) : IAsyncLifetime
{
    public async Task InitializeAsync() => await app.PutClassicPipelineAsync("tomb");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task after_tombstones_every_report_answers_with_the_right_numbers_and_no_export_shows_one()
    {
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "TB-1", pipelineId = "tomb", name = "One", owner = "ann", amount = 100m });
        await app.Http.PostJsonAsync("/api/deals", new { dealId = "TB-2", pipelineId = "tomb", name = "Two", owner = "bob", amount = 300m, stage = "develop" });

        // Racing captures and a stale expectedVersion: refusals that must store nothing.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.Http.PostJsonAsync("/api/deals", new { dealId = "TB-1", pipelineId = "tomb", name = "Again", owner = "ann", amount = 1m })));
        Assert.Equal(HttpStatusCode.Conflict, (await app.Http.PostJsonAsync("/api/deals/TB-2/stage", new { stage = "close", expectedVersion = 7 })).StatusCode);

        // A transaction that fails after its events took their sequence numbers: the idempotency record already exists.
        await using (var session = app.Store.LightweightSession())
        {
            session.Insert(new IdempotentAnswer { Id = "tombstone-key", DealId = "TB-1", Version = 1, Created = true });
            await session.SaveChangesAsync();
        }

        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append("TB-1", new DealLost("TB-1", "validate", "never stored", DateTimeOffset.UtcNow));
            session.Insert(new IdempotentAnswer { Id = "tombstone-key", DealId = "TB-1", Version = 2 });
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        await WaitForTombstoneAsync();
        await app.CatchUpAsync();

        // 100 x 10% + 300 x 30% = 100 weighted; both deals open.
        var snapshot = await app.GetJsonAsync("/api/funnel/tomb/snapshot");
        Assert.Equal(1, snapshot.GetProperty("stages")[0].GetProperty("count").GetInt64());
        Assert.Equal(1, snapshot.GetProperty("stages")[1].GetProperty("count").GetInt64());
        var forecast = await app.GetJsonAsync("/api/funnel/tomb/forecast");
        Assert.Equal(400m, forecast.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(100m, forecast.GetProperty("weightedAmount").GetDecimal());
        var freshness = snapshot.GetProperty("freshness");
        Assert.Equal(0, freshness.GetProperty("lagEvents").GetInt64());
        Assert.True(freshness.GetProperty("lagSeconds").GetDouble() >= 0);

        foreach (var report in new[] { "conversion", "dwell", "velocity", "losses", "stalled", "changes" })
        {
            await app.GetJsonAsync($"/api/funnel/tomb/{report}");
        }

        var history = await app.GetJsonAsync("/api/deals/TB-1/history");
        Assert.Equal(1, history.GetProperty("events").GetArrayLength());
        var export = await (await app.Http.GetAsync("/api/events?pipelineId=tomb")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("tombstone", export, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // the pipeline and two captures

        var verify = await new ReadModelVerifier(app.ConnectionString).VerifyAsync(new Progress<string>(), CancellationToken.None);
        Assert.True(verify.Identical);
    }

    /// <summary>Marten writes tombstones in the background after the failed transaction: wait for one, with a deadline.</summary>
    private async Task WaitForTombstoneAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        for (var tries = 0; tries < 100; tries++)
        {
            await using var command = new NpgsqlCommand("select count(*) from funnel.mt_events where type = 'tombstone' and not isfinite(timestamp)", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("No tombstone was written.");
    }
}
