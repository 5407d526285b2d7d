using Funnel.Host.Importing;
using Funnel.Host.Tests.Infrastructure;
using Funnel.Host.Verifying;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Host.Tests.Verifying;

[CollectionDefinition(Name)]
public sealed class VerifyCollection : ICollectionFixture<FunnelApp>
{
    public const string Name = "verify";
}

[Collection(VerifyCollection.Name)]
public sealed class VerifyTests(FunnelApp app)
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task verify_is_green_after_an_import_and_red_after_a_corruption()
    {
        await app.PutClassicPipelineAsync();
        var (imported, unreadable) = StageHistoryFile.Read(new StringReader("""
            deal_id,occurred_at,stage,amount,owner,outcome,reason
            I-1,2026-01-05,validate,1000,ann,,
            I-1,2026-01-08,develop,1200,,,
            I-1,2026-01-20,,,,lost,price
            I-2,2026-01-06,propose,700,bob,,
            """));
        var summary = await new DealImporter(app.Store, TimeProvider.System).ImportAsync("sales", imported, unreadable, new ConsoleImportProgress(TextWriter.Null, false), CancellationToken.None);
        Assert.Equal(5, summary.EventsAppended);
        for (var i = 1; i <= 20; i++)
        {
            await app.Http.PostJsonAsync("/api/deals", new { dealId = $"V-{i}", pipelineId = "sales", name = "V", owner = i % 2 == 0 ? "ann" : "bob", amount = 100m * i, occurredAt = T0 });
            await app.Http.PostJsonAsync($"/api/deals/V-{i}/stage", new { stage = i % 3 == 0 ? "propose" : "develop", occurredAt = T0.AddDays(1) });
            await app.Http.PostJsonAsync($"/api/deals/V-{i}/{(i % 4 == 0 ? "win" : "amount")}", new { amount = 50m * i, occurredAt = T0.AddDays(2) });
        }

        await app.CatchUpAsync();
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            // A state as a store that kept them as jsonb has it since they are text: jsonb's spacing, the same JSON.
            await connection.OpenAsync();
            await using var spaced = new NpgsqlCommand("update funnel.deal_projection_state set state = state::jsonb::text where deal_id = 'V-3' and state <> state::jsonb::text", connection);
            Assert.Equal(1, await spaced.ExecuteNonQueryAsync());
        }

        var verifier = new ReadModelVerifier(app.ConnectionString);

        var green = await verifier.VerifyAsync(new Progress<string>(), CancellationToken.None);
        Assert.True(green.Identical, string.Join("; ", green.Tables.Where(t => !t.Identical).Select(t => t.Table)));
        Assert.Equal(TimelineTables.Live.All.Select(t => t.Identifier.Name), green.Tables.Select(t => t.Table)); // every read-model table compared
        Assert.Equal(22, green.Tables.Single(t => t.Table == "deal_current").LiveRows);
        Assert.Equal(65, green.Tables.Single(t => t.Table == "deal_intervals").RebuiltRows); // an interval per deal event: 20 x 3 + 5

        // Ten events a batch: the rebuild leaves the state counters until its last batch, then counts every deal's state at
        // once; the live projection counted them command by command. The same counters either way.
        var recounted = await new ReadModelVerifier(app.ConnectionString, batchSize: 10).VerifyAsync(new Progress<string>(), CancellationToken.None);
        Assert.True(recounted.Identical, string.Join("; ", recounted.Tables.Where(t => !t.Identical).Select(t => $"{t.Table}: {string.Join(" | ", t.Examples)}")));

        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var corrupt = new NpgsqlCommand("update funnel.deal_intervals set amount = amount + 1 where deal_id = 'V-7' and version = 2", connection);
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());

            // A counter at zero counts nothing: the same as no row, so not a difference.
            await using var zero = new NpgsqlCommand("insert into funnel.deal_counts values ('sales', '', 'won', 'nobody', '', '', '', 0, 0)", connection);
            Assert.Equal(1, await zero.ExecuteNonQueryAsync());
        }

        var red = await verifier.VerifyAsync(new Progress<string>(), CancellationToken.None);
        var different = Assert.Single(red.Tables, t => !t.Identical);
        Assert.Equal(("deal_intervals", 1L, 1L), (different.Table, different.OnlyLive, different.OnlyRebuilt));
        Assert.False(red.Identical);
    }
}
